"""Career development (issue 6): the competency dictionary, the programme catalogue,
recommendations from development needs, individual development plans, learning hours and the
training needs analysis."""
