"""The one follow-up a medicine answer may need: which product a kind of medicine is.

"Sleeping pills" or "allergy tablets" cover products with and without the drowsy
antihistamine that worsens restless legs, so the kind is asked about once ("Which sleeping
pills are they?"), and the name said then is kept beside the others. Pure state, no I/O.
"""

from __future__ import annotations

from .messages import Medication

KIND = "unspecified"
"""The class of an entry that names a kind of medicine rather than a product."""


class WhichOne:
    def __init__(self) -> None:
        self._asked = False
        self._kept: list[Medication] | None = None
        """While asking: the names already given, kept beside the answer to come."""

    def kinds_to_ask(self, value: list[object]) -> list[Medication]:
        """The kinds named without the product, the first time only; asking starts."""
        kinds = [m for m in value if isinstance(m, Medication) and m.drug_class == KIND]
        if not kinds or self._asked:
            return []
        self._asked = True
        self._kept = [m for m in value if isinstance(m, Medication) and m.drug_class != KIND]
        return kinds

    def merged(self, value: object, first_answer: object) -> object:
        """The answer to "which one?": the names given before, with the product named now;
        no name now keeps the first answer. Any other answer passes unchanged."""
        kept, self._kept = self._kept, None
        if kept is None:
            return value
        if isinstance(value, list) and value:
            return kept + [m for m in value if m not in kept]
        return first_answer

    def give_up(self) -> bool:
        """"Which one?" was not answered: True, and the kind said first stands."""
        asking, self._kept = self._kept is not None, None
        return asking
