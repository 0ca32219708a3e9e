"""One normalisation of text and names: what people type, paste and hide comes out the same."""
import unicodedata

import pytest

from workflow.text import clean, name_key, search_key


@pytest.mark.parametrize("hidden", [
    "\u200b", "\ufeff", "\u00ad", "\u202e", "\u2060", "\u034f", "\u3164", "\u200d", "\u2066",
])
def test_invisible_characters_pasted_into_a_name_are_removed(hidden):
    assert clean(f"Nguyễn{hidden} Văn{hidden}  An") == "Nguyễn Văn An"
    assert name_key(f"Nguyễn Văn{hidden} An") == name_key("Nguyễn Văn An")


def test_decomposed_text_typed_on_another_keyboard_is_stored_precomposed():
    typed = unicodedata.normalize("NFD", "Trần Thị Hồng Nhung")
    assert typed != "Trần Thị Hồng Nhung" and clean(typed) == "Trần Thị Hồng Nhung"


@pytest.mark.parametrize("old, new", [
    ("Nguyễn Thị Hòa", "Nguyễn Thị Hoà"), ("Lê Thị Thúy", "Lê Thị Thuý"), ("Phạm Văn Khỏe", "Phạm Văn Khoẻ"),
    ("ĐOÀN THỊ HÒA", "Đoàn Thị Hoà"),
])
def test_both_places_of_the_tone_mark_name_one_person(old, new):
    assert name_key(old) == name_key(new)


def test_names_that_differ_stay_different():
    assert name_key("Nguyễn Văn Hoàng") != name_key("Nguyễn Văn Hoang")
    assert name_key("Lê Thị Hòa") != name_key("Lê Thị Hóa")


def test_search_without_diacritics_finds_the_name():
    assert search_key("Đặng Thị Thúy Hằng") == search_key("dang thi thuy hang") == "dang thi thuy hang"


def test_multiline_text_keeps_its_lines_but_not_the_invisible_noise():
    assert clean("Dòng một\u00a0\u00a0có  khoảng\r\n\u200bDòng hai \n", multiline=True) == "Dòng một có khoảng\nDòng hai"
