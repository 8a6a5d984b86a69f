"""The one rank list: sorting and the rank picker agree."""

from storage.ordering import OFFICIAL_RANKS, RANKS, person_key, rank_position


def test_the_most_senior_rank_sorts_first() -> None:
    people = [("BRIPDA", "A"), ("JENDERAL POLISI", "B"), ("KOMBES", "C"), ("BHARADA", "D"),
              ("PENATA", "E"), ("PANGKAT ASING", "F"), ("IRJEN", "G")]
    ordered = [name for _, name in sorted(people, key=lambda p: person_key(*p))]
    assert ordered == ["B", "G", "C", "A", "D", "E", "F"]
    assert rank_position("JENDERAL POLISI") == 0
    assert rank_position("BRIPDA") < rank_position("unknown") == len(RANKS)


def test_the_picker_offers_the_sorting_list_in_its_order() -> None:
    assert OFFICIAL_RANKS[0] == "JENDERAL POLISI"
    assert [rank for rank in RANKS if rank in OFFICIAL_RANKS] == list(OFFICIAL_RANKS)
    assert set(RANKS) - set(OFFICIAL_RANKS) == {"BRIGADIR POLISI", "BRIGPOL"}
    assert all(rank_position(rank) < len(RANKS) for rank in OFFICIAL_RANKS)
