"""NIP / NI PPPK and golongan rules against BKN's definitions."""
from datetime import date

import pytest

from portal.people import rules

TODAY = date(2026, 11, 22)


def test_valid_nip_is_parsed():
    parsed = rules.parse_nip("19860926 201505 1 001", TODAY)
    assert parsed.nip == "198609262015051001"
    assert parsed.birth_date == date(1986, 9, 26)
    assert parsed.tmt_date == date(2015, 5, 1)
    assert parsed.gender == "L"
    assert parsed.serial == 1


def test_female_nip_and_separators():
    assert rules.parse_nip("19900101-201803-2-015", TODAY).gender == "P"


@pytest.mark.parametrize("raw, fragment", [
    ("", "wajib"),
    ("1986092620150510", "18 angka"),
    ("19860926201505100A", "18 angka"),
    ("198602302015051001", "bukan tanggal yang sah"),      # 30 February
    ("198613012015051001", "bukan tanggal yang sah"),      # month 13
    ("202701012045011001", "masa depan"),                  # born in the future
    ("198609262015131001", "Bulan TMT"),                   # TMT month 13
    ("198609262000051001", "ke-18"),                       # TMT at age 13
    ("198609262004091001", "ke-18"),                       # TMT in the month of the 18th birthday
    ("198609262027011001", "masa depan"),                  # TMT in the future
    ("198609262015053001", "jenis kelamin"),               # gender digit 3
    ("198609262015051000", "001"),                         # serial 000
])
def test_invalid_nips_are_refused_with_a_reason(raw, fragment):
    with pytest.raises(rules.NipError) as err:
        rules.parse_nip(raw, TODAY)
    assert fragment in str(err.value)


def test_tmt_the_month_after_the_18th_birthday_is_valid():
    assert rules.parse_nip("198609262004101001", TODAY).tmt_date == date(2004, 10, 1)


def test_ni_pppk():
    parsed = rules.parse_ni_pppk("199201152021211002", TODAY)
    assert parsed.birth_date == date(1992, 1, 15)
    assert parsed.appointment_year == 2021
    assert parsed.gender == "L"
    assert rules.format_nip(parsed.nip, "pppk") == "19920115 2021 21 1 002"
    with pytest.raises(rules.NipError):
        rules.parse_ni_pppk("199201152005211002", TODAY)  # appointed at 13
    with pytest.raises(rules.NipError):
        rules.parse_ni_pppk("199201152030211002", TODAY)  # appointed in the future


def test_format_nip_groups_like_bkn():
    assert rules.format_nip("198609262015051001") == "19860926 201505 1 001"


@pytest.mark.parametrize("raw, expected", [
    ("III/a", "III/a"), ("iii/A", "III/a"), ("III a", "III/a"), ("3a", "III/a"), ("3/A", "III/a"),
    ("IV/e", "IV/e"), ("IX", "IX"), ("9", "IX"), ("XVII", "XVII"), ("II/e", None), ("XVIII", None),
    ("", None), (None, None), ("abc", None),
])
def test_normalise_golongan(raw, expected):
    assert rules.normalise_golongan(raw) == expected


def test_golongan_tables_are_complete():
    assert len(rules.GOLONGAN_PNS) == 17
    assert rules.pangkat_of("IV/e") == "Pembina Utama"
    assert rules.pangkat_of("I/a") == "Juru Muda"
    assert rules.GOLONGAN_PPPK[-1] == "XVII" and len(rules.GOLONGAN_PPPK) == 17
    assert rules.golongan_valid_for("III/a", "pns") and not rules.golongan_valid_for("III/a", "pppk")
    assert rules.golongan_valid_for("IX", "pppk") and not rules.golongan_valid_for("IX", "pns")


def test_split_gelar_keeps_titles_apart():
    assert rules.split_gelar("Dr. H. Ahmad Fauzi, S.Kom., M.T.") == ("Dr. H.", "Ahmad Fauzi", "S.Kom., M.T.")
    assert rules.split_gelar("Siti Aminah") == ("", "Siti Aminah", "")
    assert rules.split_gelar("dr. Rina,  Sp.A") == ("dr.", "Rina", "Sp.A")
