"""Object rules (merged in object_rules.py) for the tna_talent area of career development (issue 6)."""


def _record_potential(user, o):
    from portal.catalogue.models import TalentAssessment
    return TalentAssessment.can_record(user)


def _see_grid(user, o):
    return user.sees_whole_instansi


def _see_analysis(user, o):
    from portal.catalogue.tna_services import can_view_analysis
    return can_view_analysis(user)


def _see_programme_demand(user, o):
    from portal.catalogue.tna_services import can_view_analysis
    return can_view_analysis(user) and o["programme_id"].can_view(user)


RULES = {
    # Only BKPSDM and the superadmin record an employee's potential (any employee of the instansi).
    ("talent.set_potential", "POST"): _record_potential,
    "talent.show_grid": _see_grid,
    "training_needs.show_analysis": _see_analysis,
    # A programme's demand per OPD: readers of the analysis who may see the programme.
    "training_needs.show_programme": _see_programme_demand,
}
