"""The domain, engine and services of khenthuong. Imports neither `web` nor `scheduler`."""
