"""Career-development rules: eligibility, leadership requirements, the 9-box, 70-20-10."""
from portal.catalogue import rules
from portal.catalogue.models import IdpBucket, Leadership, ProgrammeForm
from portal.people.models import CivilStatus, EmployeeKind, PositionKind


def _employee(kind=EmployeeKind.PNS, position=PositionKind.PELAKSANA, golongan="III/a", path="/1/5/9/"):
    return rules.EmployeeFacts(kind=kind, position_kind=position, golongan=golongan, unit_path=path)


def _programme(kinds=(), low=None, high=None, pppk=True, paths=()):
    return rules.ProgrammeFacts(position_kinds=tuple(kinds), golongan_min=low, golongan_max=high, open_to_pppk=pppk,
                                unit_paths=tuple(paths))


def test_an_unrestricted_programme_is_open_to_everyone():
    assert rules.is_eligible(_programme(), _employee())
    assert rules.is_eligible(_programme(), _employee(kind=EmployeeKind.PPPK, golongan="IX"))


def test_each_restriction_gives_its_reason():
    reasons = rules.ineligibility_reasons(
        _programme(kinds=["pengawas"], low="III/c", high="IV/a", paths=("/1/7/",)), _employee())
    assert len(reasons) == 3
    assert "Pengawas" in reasons[0] and "III/c" in reasons[1] and "unit kerja" in reasons[2]


def test_golongan_range_is_inclusive_and_pppk_may_be_excluded():
    programme = _programme(low="III/a", high="III/d")
    assert rules.is_eligible(programme, _employee(golongan="III/a"))
    assert rules.is_eligible(programme, _employee(golongan="III/d"))
    assert not rules.is_eligible(programme, _employee(golongan="IV/a"))
    assert not rules.is_eligible(programme, _employee(golongan=None))
    # The PNS golongan range does not apply to PPPK; being open to PPPK does.
    assert rules.is_eligible(programme, _employee(kind=EmployeeKind.PPPK, golongan="IX"))
    assert not rules.is_eligible(_programme(pppk=False), _employee(kind=EmployeeKind.PPPK, golongan="IX"))


def test_units_cover_their_subtree():
    programme = _programme(paths=("/1/5/",))
    assert rules.is_eligible(programme, _employee(path="/1/5/9/"))
    assert not rules.is_eligible(programme, _employee(path="/1/50/"))


def test_each_structural_post_requires_its_leadership_programme():
    assert rules.required_leadership(PositionKind.PENGAWAS) is Leadership.PKP
    assert rules.required_leadership(PositionKind.ADMINISTRATOR) is Leadership.PKA
    assert rules.required_leadership(PositionKind.JPT_PRATAMA) is Leadership.PKN_II
    assert rules.required_leadership(PositionKind.JPT_MADYA) is Leadership.PKN_I
    assert rules.required_leadership(PositionKind.PELAKSANA) is None
    assert rules.required_leadership(PositionKind.PELAKSANA, CivilStatus.CPNS) is Leadership.LATSAR


def test_a_higher_leadership_programme_covers_a_lower_one():
    assert rules.has_leadership({Leadership.PKA}, Leadership.PKP)
    assert not rules.has_leadership({Leadership.PKP}, Leadership.PKA)
    assert not rules.has_leadership({Leadership.PKA}, Leadership.LATSAR)
    assert rules.has_leadership({Leadership.LATSAR}, Leadership.LATSAR)


def test_nine_box_follows_permenpanrb_3_2020():
    assert rules.nine_box("di_atas", "tinggi") == 9
    assert rules.nine_box("sesuai", "menengah") == 5
    assert rules.nine_box("di_bawah", "rendah") == 1
    assert rules.nine_box("di_bawah", "tinggi") == 6
    assert rules.nine_box(None, "tinggi") is None
    assert rules.kinerja_of_predicate("sangat_baik") == "di_atas"
    assert rules.kinerja_of_predicate("baik") == "sesuai"
    assert rules.kinerja_of_predicate("butuh_perbaikan") == "di_bawah"
    assert "Promosi" in str(rules.BOX_ACTIONS[9])


def test_forms_fall_into_the_70_20_10_buckets():
    assert ProgrammeForm.INTERNSHIP.bucket is IdpBucket.EXPERIENCE
    assert ProgrammeForm.SECONDMENT.bucket is IdpBucket.EXPERIENCE
    assert ProgrammeForm.COACHING.bucket is IdpBucket.SOCIAL
    assert ProgrammeForm.MENTORING.bucket is IdpBucket.SOCIAL
    assert ProgrammeForm.TECHNICAL.bucket is IdpBucket.FORMAL
    assert ProgrammeForm.E_LEARNING.bucket is IdpBucket.FORMAL
    assert ProgrammeForm.TECHNICAL.is_classical and not ProgrammeForm.COACHING.is_classical
    shares = rules.bucket_shares({IdpBucket.EXPERIENCE: 7, IdpBucket.SOCIAL: 2, IdpBucket.FORMAL: 1})
    assert shares == {IdpBucket.EXPERIENCE: 70, IdpBucket.SOCIAL: 20, IdpBucket.FORMAL: 10}
    assert rules.bucket_shares({}) == {b: 0 for b in IdpBucket}
