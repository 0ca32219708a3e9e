"""Papers an office signs (văn bản): tờ trình, danh sách, biên bản họp Hội đồng, quyết định and
certificates, generated from the data the product holds as Word (python-docx) and PDF (Typst),
in the format of Nghị định 30/2020/NĐ-CP; signed as PAdES (pyHanko)."""
