"""The workbench (bàn làm việc): long lists searched, sorted and paged, and bulk actions on
every matching row through the kernel's batched path."""
