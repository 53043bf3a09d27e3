"""Where-used: the items a code reaches, over a loaded model (docs/costing.md, "Where-used").

:func:`build_index` reads a :class:`~costsheet.model.Model` once, in time
linear in its size, into a frozen :class:`WhereUsedIndex`.  It answers, for a
code of any kind:

- an **item**: the produced items whose BOM lines use it, and every item above
  them, with the paths and the quantity per unit of each (the product of the
  BOM line quantities along a path, scrap applied as the engine applies it,
  summed over the paths);
- a **resource** (work center or machine center; a work center also through
  its machine centers): the items whose routings use it, with the time per
  unit (seconds, at each item's own lot size), and every item above them;
- a **condition**: the items it is assigned to (their own or the setup's
  default), and the items whose routings use a resource costing with it;
- an **element**: the items whose conditions post to it, and (cost elements)
  every item above them, whose rolled-up breakdown carries it;
- a **vendor**: the items naming it and the items with its price or discount
  lines (on a date: only the lines valid then).

By-products and co-products add costing-order edges: a by-product valued at its
own cost reaches its producer (``via`` ``byproduct``: the credit follows its
cost), and a producing item reaches its co-products (``coproduct``: they take
a share of its cost); neither has a quantity per unit, so the items above such
an edge get none (``per_unit`` None).

Charge conditions and the charge elements they post reach only the items they
are assigned to: charges do not roll up into a parent's cost.  Purchased items
are never parents (the engine reads neither their BOM nor their routing).

:meth:`WhereUsedIndex.affected` is the cone of a change: the changed items and
every item above them; :meth:`WhereUsedIndex.costing_order` puts items in an
order in which each comes after its components, for re-costing.

Depends on the model alone (and :mod:`costsheet.resolve`, the rules it shares
with the engine).  Nothing recurses, and a BOM cycle (which only a model built
in code can have) does not make anything loop: its items get no quantity.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal

import attrs

from .identity import not_same
from .model import ChartLineKind, ConditionKind, Item, Model, code_sort_key, frozen_map
from .numbers import CONTEXT, ZERO
from .resolve import base_quantity, line_quantity, resource_condition, scrap_factor
from .versions import model_on

__all__ = ["MAX_PATHS", "Kind", "Reached", "Use", "WhereUsed", "WhereUsedIndex", "build_index"]

#: A reached item lists at most this many of its paths (``Reached.path_count`` counts them all).
MAX_PATHS = 10


class Kind(str, enum.Enum):
    ITEM = "item"
    RESOURCE = "resource"
    CONDITION = "condition"
    ELEMENT = "element"
    VENDOR = "vendor"


#: what a use's ``per_unit`` measures, by kind (None: the kind has no measure)
MEASURES: Mapping[Kind, str | None] = frozen_map(
    {Kind.ITEM: "quantity", Kind.RESOURCE: "seconds", Kind.CONDITION: None, Kind.ELEMENT: None, Kind.VENDOR: None}
)


@attrs.frozen
class Use:
    """One direct use of the code by ``item``.

    ``via`` is a stable word (``bom-line``, ``routing``, ``material-condition``,
    ``default-material``, ``production-condition``, ``default-production``,
    ``charge-condition``, ``resource-condition``, ``posts``, ``vendor``,
    ``price-line``, ``discount-line``, ``byproduct``, ``coproduct``), ``detail`` a sentence for people;
    ``hops`` the codes between the item and the code (the machine center of a
    work center, the condition that posts an element ...); ``per_unit`` the
    quantity or the seconds per unit of ``item`` (None for kinds without a
    measure); ``rolls_up`` False when the use does not reach the item's
    parents (charges).
    """

    item: str
    via: str
    detail: str
    hops: tuple[str, ...] = ()
    per_unit: Decimal | None = None
    rolls_up: bool = True


@attrs.frozen
class Reached:
    """An item the code reaches.

    ``depth`` is the number of BOM levels between it and the nearest direct use
    (0: it uses the code itself); ``top`` says no produced item uses it;
    ``per_unit`` the code's quantity or seconds per unit of this item, summed
    over every path (None for kinds without a measure, and on or above a BOM
    cycle); ``path_count`` the number of paths (None on or above a cycle);
    ``paths`` the first :data:`MAX_PATHS` of them, each the codes from this
    item down to the code asked about.
    """

    item: str
    depth: int
    top: bool
    per_unit: Decimal | None
    path_count: int | None
    paths: tuple[tuple[str, ...], ...]


@attrs.frozen
class WhereUsed:
    """The answer for one code: its direct uses and every item reached, by depth then code."""

    code: str
    kind: Kind
    date: dt.date | None
    uses: tuple[Use, ...]
    items: tuple[Reached, ...]

    @property
    def measure(self) -> str | None:
        return MEASURES[self.kind]


@attrs.frozen
class _Posting:
    """Condition ``condition`` posts to an element as its ``role`` (direct, overhead) or by a line."""

    condition: str
    roles: tuple[str, ...]  # "direct", "overhead" and/or "line N \"DESCRIPTION\""
    detail: str

    def replaced_for_assembly(self, setup) -> bool:
        """True when an assembly item's production condition does not post here: the element is only
        the condition's direct or overhead element, and the setup names assembly elements for them."""
        return all(
            role in ("direct", "overhead") and getattr(setup, f"assembly_{role}") is not None for role in self.roles
        )


@attrs.frozen
class WhereUsedIndex:
    """The where-used graph of one model (build it with :func:`build_index`)."""

    model: Model
    #: component -> ((parent, BOM line position, quantity per parent unit), ...); produced parents only
    parents: Mapping[str, tuple[tuple[str, int, Decimal], ...]]
    #: resource -> ((item, routing line index, machine center or None), ...); a work center also
    #: through its machine centers
    routings: Mapping[str, tuple[tuple[str, int, str | None], ...]]
    #: condition -> ((item, via), ...): items it is assigned to, their own or the setup's default
    assigned: Mapping[str, tuple[tuple[str, str], ...]]
    #: condition -> resources costing with it
    resources: Mapping[str, tuple[str, ...]]
    #: element -> the conditions posting to it
    postings: Mapping[str, tuple[_Posting, ...]]
    #: vendor -> ((item, via, price or discount line or None), ...)
    vendors: Mapping[str, tuple[tuple[str, str, object], ...]]
    #: item -> its position in an order where every item comes after its components
    rank: Mapping[str, int]
    #: items on a BOM cycle (empty for a checked model)
    cyclic: frozenset[str]
    #: item -> its uses by by-product and co-product edges (a by-product's producers, a producer's co-products)
    joint: Mapping[str, tuple[Use, ...]] = frozen_map()
    #: item -> what it is costed after besides its BOM: its by-products at cost, its producer
    joint_inputs: Mapping[str, tuple[str, ...]] = frozen_map()

    # ------------------------------------------------------------ what a code is

    def kinds_of(self, code: str) -> tuple[Kind, ...]:
        """The kinds of thing ``code`` names in the model (several when it is ambiguous)."""
        model = self.model
        found = []
        if code in model.items:
            found.append(Kind.ITEM)
        if code in model.work_centers or code in model.machine_centers:
            found.append(Kind.RESOURCE)
        if code in model.conditions:
            found.append(Kind.CONDITION)
        line = model.chart.line(code)
        if line is not None and line.kind is ChartLineKind.ELEMENT:
            found.append(Kind.ELEMENT)
        if code in model.vendors:
            found.append(Kind.VENDOR)
        return tuple(found)

    def codes(self, kind: Kind) -> tuple[str, ...]:
        """Every code of ``kind`` in the model (for did-you-mean)."""
        model, kind = self.model, Kind(kind)
        if kind is Kind.ITEM:
            return tuple(model.items)
        if kind is Kind.RESOURCE:
            return (*model.work_centers, *model.machine_centers)
        if kind is Kind.CONDITION:
            return tuple(model.conditions)
        if kind is Kind.ELEMENT:
            return tuple(line.code for line in model.chart.elements)
        return tuple(model.vendors)

    # ------------------------------------------------------------ direct uses

    def uses(self, code: str, kind: Kind, date: dt.date | None = None) -> tuple[Use, ...]:
        """The direct uses of ``code`` as ``kind``; on ``date`` only the price and discount lines valid then."""
        kind = Kind(kind)
        if kind is Kind.VENDOR:
            return tuple(self._vendor_uses(code, date))
        return tuple(
            {
                Kind.ITEM: self._item_uses,
                Kind.RESOURCE: self._resource_uses,
                Kind.CONDITION: self._condition_uses,
                Kind.ELEMENT: self._element_uses,
            }[kind](code)
        )

    def _item_uses(self, code: str) -> list[Use]:
        return [
            *(
                Use(parent, "bom-line", f"BOM line {position} of {parent}", (), quantity)
                for parent, position, quantity in self.parents.get(code, ())
            ),
            *self.joint.get(code, ()),
        ]

    def _resource_uses(self, code: str) -> list[Use]:
        uses = []
        for item_code, index, machine in self.routings.get(code, ()):
            item = self.model.items[item_code]
            line = item.all_routing_lines[index]
            where = f"operation {line.operation} of {item_code} on {line.resource}"
            uses.append(
                Use(
                    item_code,
                    "routing",
                    where,
                    (machine,) if machine else (),
                    _seconds_per_unit(item, line.run_seconds, line.setup_seconds),
                )
            )
        return uses

    def _condition_uses(self, code: str) -> list[Use]:
        condition = self.model.conditions.get(code)
        rolls_up = condition is None or condition.kind is not ConditionKind.CHARGE
        uses = [
            Use(item, via, f"{via.replace('-', ' ')} of {item}", (), None, rolls_up)
            for item, via in self.assigned.get(code, ())
        ]
        for resource in self.resources.get(code, ()):
            for item, index, machine in self.routings.get(resource, ()):
                if machine is not None:
                    continue  # listed under the machine center itself
                line = self.model.items[item].all_routing_lines[index]
                uses.append(
                    Use(
                        item,
                        "resource-condition",
                        f"operation {line.operation} of {item} on {resource}, which costs with {code}",
                        (resource,),
                    )
                )
        return uses

    def _element_uses(self, code: str) -> list[Use]:
        setup = self.model.setup
        uses = []
        for posting in self.postings.get(code, ()):
            condition = self.model.conditions[posting.condition]
            rolls_up = condition.kind is not ConditionKind.CHARGE
            for use in self._condition_uses(posting.condition):
                item = self.model.items[use.item]
                if (
                    item.replenishment == "assembly"
                    and condition.kind is ConditionKind.PRODUCTION
                    and posting.replaced_for_assembly(setup)
                ):
                    continue  # the setup's assembly element takes the role's place
                uses.append(
                    Use(
                        use.item,
                        "posts",
                        f"{posting.detail}, {use.detail}",
                        (*use.hops, posting.condition),
                        None,
                        rolls_up,
                    )
                )
        for role in ("direct", "overhead"):
            if getattr(setup, f"assembly_{role}") != code:
                continue
            for item_code, item in self.model.items.items():
                if item.replenishment == "assembly":
                    uses.append(
                        Use(item_code, "posts", f"the setup's assembly {role} element, assembly item {item_code}")
                    )
        return uses

    def _vendor_uses(self, code: str, date: dt.date | None) -> list[Use]:
        """One use per item: it names the vendor, or has price or discount lines of it (on ``date``:
        lines valid then, ``from``/``to`` inclusive as the engine reads them)."""
        by_item: dict[str, dict[str, list]] = {}
        for item, via, line in self.vendors.get(code, ()):
            if line is None or _valid_on(line, date):
                by_item.setdefault(item, {}).setdefault(via, []).append(line)
        uses = []
        for item, found in by_item.items():
            parts = []
            if "vendor" in found:
                parts.append(f"vendor of {item}")
            for via, what in (("price-line", "price line"), ("discount-line", "discount line")):
                lines = found.get(via)
                if lines:
                    dated = [text for text in map(_validity, lines) if text]
                    parts.append(
                        f"{len(lines)} {what}{'s' if len(lines) > 1 else ''}"
                        + (f" ({'; '.join(dated)})" if dated else "")
                    )
            uses.append(
                Use(
                    item,
                    next(iter(found)),
                    f"{item}: " + "; ".join(parts) if "vendor" not in found else "; ".join(parts),
                )
            )
        return uses

    # ------------------------------------------------------------ reach

    def where_used(self, code: str, kind: Kind, date: dt.date | None = None) -> WhereUsed:
        """Every item ``code`` reaches as ``kind`` (see the module docstring)."""
        kind = Kind(kind)
        uses = self.uses(code, kind, date)
        return WhereUsed(code, kind, date, uses, self._reach(code, uses, MEASURES[kind] is not None))

    def _reach(self, code: str, uses: tuple[Use, ...], measured: bool) -> tuple[Reached, ...]:
        tails: dict[str, list[Use]] = {}
        for use in uses:
            tails.setdefault(use.item, []).append(use)
        rolling = {use.item: None for use in uses if use.rolls_up}
        depth: dict[str, int] = dict.fromkeys(rolling, 0)
        queue = deque(rolling)
        while queue:  # breadth first: the depth is the shortest distance to a direct use
            current = queue.popleft()
            for parent in self._above(current):
                if parent not in depth:
                    depth[parent] = depth[current] + 1
                    queue.append(parent)
        for item in tails:  # reached only by uses that do not roll up (charges)
            depth.setdefault(item, 0)
        cone = sorted((item for item in depth if item in rolling or depth[item] > 0), key=self._rank)
        amount: dict[str, Decimal | None] = {}
        count: dict[str, int | None] = {}
        carried: dict[str, Decimal | None] = {}
        carried_count: dict[str, int | None] = {}
        for item in cone:  # components before parents: what they carry up is final when a parent comes
            own = [use for use in tails.get(item, ()) if use.rolls_up]
            amount[item] = _add(carried.get(item, ZERO), _sum(use.per_unit for use in own)) if measured else None
            count[item] = _add(carried_count.get(item, 0), len(own))
            if item in self.cyclic:
                amount[item] = count[item] = None
            item_amount = amount[item]
            for parent, _, quantity in self.parents.get(item, ()):
                if measured:
                    carried[parent] = _add(
                        carried.get(parent, ZERO),
                        None if item_amount is None else CONTEXT.multiply(item_amount, quantity),
                    )
                carried_count[parent] = _add(carried_count.get(parent, 0), count[item])
            for use in self.joint.get(item, ()):  # no quantity through a by- or co-product edge
                carried[use.item] = None
                carried_count[use.item] = _add(carried_count.get(use.item, 0), count[item])
        paths = self._paths(code, cone, tails, amount)
        rows = []
        for item, level in depth.items():
            others = [use for use in tails.get(item, ()) if not use.rolls_up]
            per_unit = amount.get(item, ZERO) if measured else None
            paths_total = count.get(item, 0)
            if others:  # uses that reach this item alone (charges)
                per_unit = _add(per_unit, _sum(use.per_unit for use in others)) if measured else None
                paths_total = _add(paths_total, len(others))
                if item not in paths:
                    paths[item] = tuple((item, *use.hops, code) for use in others[:MAX_PATHS])
            rows.append(Reached(item, level, self._top(item), per_unit, paths_total, paths[item]))
        rows.sort(key=lambda row: (row.depth, code_sort_key(row.item)))
        return tuple(rows)

    def _paths(
        self, code: str, cone: list[str], tails: Mapping[str, list[Use]], members: Mapping[str, object]
    ) -> dict[str, tuple[tuple[str, ...], ...]]:
        """The first MAX_PATHS paths from each item of ``cone`` down to ``code``: its own uses, then
        through its components in BOM line order (depth first).  Built children first, each item's
        from its components' (no recursion, each path copied once); on a cycle a second pass fills
        in what the first could not see, keeping only paths that do not visit an item twice."""
        found: dict[str, tuple[tuple[str, ...], ...]] = {}
        for item in (*cone, *(item for item in cone if item in self.cyclic)):
            listed = [(item, *use.hops, code) for use in tails.get(item, ()) if use.rolls_up][:MAX_PATHS]
            for component in self._components(item):
                if len(listed) >= MAX_PATHS:
                    break
                if component in members:
                    listed.extend((item, *path) for path in found.get(component, ()) if item not in path)
            found[item] = tuple(listed[:MAX_PATHS])
        return found

    def _components(self, code: str) -> tuple[str, ...]:
        """The components of a produced item, one per BOM line (a purchased item has none)."""
        item = self.model.items.get(code)
        if item is None or item.replenishment == "purchase":
            return ()
        return tuple(line.component for line in item.all_bom_lines) + self.joint_inputs.get(code, ())

    def _above(self, code: str) -> Iterable[str]:
        """The items a change of ``code`` re-costs directly: its BOM parents, then its joint-product uses."""
        for parent, _, _ in self.parents.get(code, ()):
            yield parent
        for use in self.joint.get(code, ()):
            yield use.item

    def _rank(self, item: str) -> int:
        return self.rank.get(item, -1)

    def _top(self, item: str) -> bool:
        return not self.parents.get(item)

    # ------------------------------------------------------------ changes (incremental re-costing)

    def affected(self, codes: Iterable[str]) -> frozenset[str]:
        """The items ``codes`` and every item above them: what a change of those items re-costs."""
        seen = set(codes)
        queue = deque(seen)
        while queue:
            for parent in self._above(queue.popleft()):
                if parent not in seen:
                    seen.add(parent)
                    queue.append(parent)
        return frozenset(seen)

    def affected_by(self, code: str, kind: Kind) -> frozenset[str]:
        """The items a change of ``code`` (as ``kind``) re-costs: the cone of its direct uses that roll
        up, and the items of those that do not (a charge condition's items).  Every date counts."""
        uses = self.uses(code, kind)
        return self.affected(use.item for use in uses if use.rolls_up) | {use.item for use in uses}

    def costing_order(self, codes: Iterable[str]) -> tuple[str, ...]:
        """``codes`` with every item after its components (codes the model does not have first)."""
        return tuple(sorted(set(codes), key=lambda code: (self._rank(code), code_sort_key(code))))


# ---------------------------------------------------------------- building


def build_index(model: Model, date: dt.date | None = None, *, previous: WhereUsedIndex | None = None) -> WhereUsedIndex:
    """Read ``model`` into a :class:`WhereUsedIndex` (linear in the model's size).

    With ``date``, each item's BOM and routing are the versions valid on it
    (:func:`costsheet.versions.model_on`); without, every version's lines count.
    ``previous`` is the index of an earlier version of the same model (a session's, without
    ``date``): what the items that are the same objects give is taken over from it, and only the
    entries of the other items are made again (:func:`_item_tables`); the costing order is taken
    over when the BOM graph is the same (:func:`_same_order`).  The result equals a fresh build."""
    if date is not None:
        model = model_on(model, date)
        previous = None
    tables = _item_tables(model, previous)
    vendors: dict[str, list] = {}
    for code, item in model.items.items():
        if item.vendor is not None:
            vendors.setdefault(item.vendor, []).append((code, "vendor", None))
    for price in model.prices:
        vendors.setdefault(price.vendor, []).append((price.item, "price-line", price))
    for discount in model.discounts:
        vendors.setdefault(discount.vendor, []).append((discount.item, "discount-line", discount))
    resources: dict[str, list] = {}
    for code in (*model.work_centers, *model.machine_centers):
        condition, _ = resource_condition(model, code)
        if condition:
            resources.setdefault(condition, []).append(code)
    joint, inputs = _joint_edges(model)
    joint_inputs = _frozen(inputs)
    rank: Mapping[str, int]
    if previous is not None and previous.joint_inputs == joint_inputs and _same_order(previous.model, model):
        rank, cyclic = previous.rank, previous.cyclic
    else:
        order, loops = _costing_order(model, inputs)
        rank, cyclic = frozen_map(order), frozenset(loops)
    return WhereUsedIndex(
        model=model,
        parents=tables["parents"],
        routings=tables["routings"],
        assigned=tables["assigned"],
        resources=_frozen(resources),
        postings=_frozen(_postings(model)),
        vendors=_frozen(vendors),
        rank=rank,
        cyclic=cyclic,
        joint=_frozen(joint),
        joint_inputs=joint_inputs,
    )


def _joint_edges(model: Model) -> tuple[dict[str, list[Use]], dict[str, list[str]]]:
    """The by-product and co-product edges of the costing order: input -> the uses of it, and
    item -> its inputs.  A by-product with a ``value`` is no edge: its cost does not reach the producer."""
    uses: dict[str, list[Use]] = {}
    inputs: dict[str, list[str]] = {}
    for code, item in model.items.items():
        if item.replenishment == "purchase":
            continue
        for by in item.byproducts:
            if by.value is None:
                uses.setdefault(by.item, []).append(Use(code, "byproduct", f"by-product of {code}, credited at cost"))
                inputs.setdefault(code, []).append(by.item)
        for co in item.coproducts:
            uses.setdefault(code, []).append(Use(co.item, "coproduct", f"{co.item} takes {co.share}% of {code}"))
            inputs.setdefault(co.item, []).append(code)
    return uses, inputs


#: the tables an item's own entries go into; each entry's first value is the item's code
_ITEM_TABLES = ("parents", "routings", "assigned")


def _item_tables(model: Model, previous: WhereUsedIndex | None) -> dict[str, Mapping[str, tuple]]:
    """The tables of :data:`_ITEM_TABLES`: made from every item, or (``previous``, and nothing else
    they read changed: :func:`_same_surroundings`) from ``previous``'s with the entries of the items
    that are not the same objects made again, each key's entries in the model's item order."""
    entries = _Entries(model)
    changed = _changed_items(previous.model, model) if previous is not None else None
    if previous is None or changed is None or not _same_surroundings(previous.model, model, changed):
        built: dict[str, dict[str, list]] = {name: {} for name in _ITEM_TABLES}
        for code, item in model.items.items():
            for table, key, entry in entries.of(code, item):
                built[table].setdefault(key, []).append(entry)
        return {name: _frozen(table) for name, table in built.items()}
    if not changed:
        return {name: getattr(previous, name) for name in _ITEM_TABLES}
    old_entries = _Entries(previous.model)
    again: dict[tuple[str, str], list] = {}
    for code in changed:
        if code in previous.model.items:
            for table, key, _ in old_entries.of(code, previous.model.items[code]):
                again.setdefault((table, key), [])
    for code in changed:
        if code in model.items:
            for table, key, entry in entries.of(code, model.items[code]):
                again.setdefault((table, key), []).append(entry)
    position = {code: index for index, code in enumerate(model.items)}
    tables = {name: dict(getattr(previous, name)) for name in _ITEM_TABLES}
    for (table, key), made in again.items():
        kept = [entry for entry in tables[table].get(key, ()) if entry[0] not in changed]
        merged = sorted(kept + made, key=lambda entry: position[entry[0]])  # stable: an item's own order kept
        if merged:
            tables[table][key] = tuple(merged)
        else:
            tables[table].pop(key, None)
    return {name: frozen_map(table) for name, table in tables.items()}


class _Entries:
    """The entries one item gives the tables of :data:`_ITEM_TABLES`, read from ``model``."""

    def __init__(self, model: Model):
        self._model = model
        self._factors: dict[Decimal, Decimal] = {}

    def _factor(self, percent: Decimal) -> Decimal:
        factors = self._factors
        return factors.get(percent) or factors.setdefault(percent, scrap_factor(percent))

    def of(self, code: str, item: Item) -> Iterator[tuple[str, str, tuple]]:
        """``(table, key, entry)`` in the order a build adds them."""
        model = self._model
        setup = model.setup
        if item.charge_condition:
            yield "assigned", item.charge_condition, (code, "charge-condition")
        if item.replenishment == "purchase":
            yield from _assign(code, item.material_condition, setup.default_material, "material")
            return
        yield from _assign(code, item.production_condition, setup.default_production, "production")
        for position, line in enumerate(item.all_bom_lines, 1):
            quantity = base_quantity(line, model.items) or line.quantity  # an unknown unit: reported by check
            yield (
                "parents",
                line.component,
                (code, position, line_quantity(quantity, line.scrap, item.scrap, self._factor)),
            )
        for index, step in enumerate(item.all_routing_lines):
            yield "routings", step.resource, (code, index, None)
            machine = model.machine_centers.get(step.resource)
            if machine is not None:
                yield "routings", machine.work_center, (code, index, step.resource)


def _changed_items(old: Model, new: Model) -> frozenset[str] | None:
    """The item codes whose item is not the same object in both models (None: too many to be worth it)."""
    changed = not_same(old.items, new.items)
    return None if len(changed) * 4 > len(new.items) else changed


def _same_surroundings(old: Model, new: Model, changed: frozenset[str]) -> bool:
    """What an item's entries read besides the item is the same: the setup's default conditions, the
    machine centers' work centers and the units of measure of the items that changed (a BOM line's
    quantity is counted in its component's base unit)."""
    return (
        (old.setup.default_material, old.setup.default_production)
        == (new.setup.default_material, new.setup.default_production)
        and {code: center.work_center for code, center in old.machine_centers.items()}
        == {code: center.work_center for code, center in new.machine_centers.items()}
        and all(_unit_table(old.items.get(code)) == _unit_table(new.items.get(code)) for code in changed)
    )


def _unit_table(item: Item | None) -> tuple[str | None, dict[str, Decimal]] | None:
    return None if item is None else (item.unit, dict(item.units_of_measure))


def _assign(item: str, own: str | None, default: str | None, kind: str) -> Iterator[tuple[str, str, tuple]]:
    if own:
        yield "assigned", own, (item, f"{kind}-condition")
    elif default:
        yield "assigned", default, (item, f"default-{kind}")


def _postings(model: Model) -> dict[str, list[_Posting]]:
    """element -> the conditions that post to it: their direct and overhead elements, and their lines'."""
    postings: dict[str, list[_Posting]] = {}
    for code, condition in model.conditions.items():
        named: dict[str, list[str]] = {}
        for role in ("direct", "overhead"):
            element = getattr(condition, role)
            if element:
                named.setdefault(element, []).append(role)
        for line in condition.lines:
            if line.value_kind is not None and line.element:
                named.setdefault(line.element, []).append(f'line {line.position} "{line.description}"')
        for element, roles in named.items():
            postings.setdefault(element, []).append(
                _Posting(code, tuple(roles), f"{condition.kind.value} condition {code} ({', '.join(roles)})")
            )
    return postings


def _same_order(old: Model, new: Model) -> bool:
    """True when ``_costing_order`` gives ``new`` the order it gave ``old``: the same items in the same
    order, each with the same components (items not the same object are compared)."""
    if len(old.items) != len(new.items) or tuple(old.items) != tuple(new.items):
        return False
    return all(
        item is before or _components(new.items, code, {}) == _components(old.items, code, {})
        for (code, item), before in zip(new.items.items(), old.items.values(), strict=True)
    )


def _costing_order(model: Model, inputs: Mapping[str, list[str]]) -> tuple[dict[str, int], set[str]]:
    """Every item's rank in an order where components come first (Tarjan's strongly connected
    components, iteratively), and the items on a cycle."""
    items = model.items
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    rank: dict[str, int] = {}
    cyclic: set[str] = set()
    for root in items:
        if root in index:
            continue
        work = [(root, iter(_components(items, root, inputs)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(_components(items, child, inputs))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
                    if child == node:
                        cyclic.add(node)
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = _pop_component(stack, on_stack, node)
                    if len(group) > 1:
                        cyclic.update(group)
                    for member in group:
                        rank[member] = len(rank)
    return rank, cyclic


def _components(items: Mapping[str, Item], code: str, inputs: Mapping[str, list[str]]) -> tuple[str, ...]:
    """The components an item's BOM lists, then its joint-product inputs; none for a purchased item
    (costed from its price, not its BOM)."""
    item = items.get(code)
    if item is None or item.replenishment == "purchase":
        return ()
    return (*(line.component for line in item.all_bom_lines), *inputs.get(code, ()))


def _pop_component(stack: list[str], on_stack: set[str], root: str) -> list[str]:
    """The strongly connected component of ``root``: the members above it on the stack and
    ``root`` itself, taken off the stack."""
    group = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        group.append(member)
        if member == root:
            return group


# ---------------------------------------------------------------- helpers


def _frozen(mapping: dict[str, list]) -> Mapping:
    return frozen_map({key: tuple(value) for key, value in mapping.items()})


def _seconds_per_unit(item: Item, run: Decimal, setup: Decimal) -> Decimal:
    """(run x (1 + item scrap/100) x L + setup) / L at the item's lot size L, as the engine costs it."""
    if item.scrap:
        run = CONTEXT.multiply(run, scrap_factor(item.scrap))
    lot = item.lot_size
    return CONTEXT.divide(CONTEXT.add(CONTEXT.multiply(run, lot), setup), lot)


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    total = ZERO
    for value in values:
        if value is None:
            return None
        total = CONTEXT.add(total, value)
    return total


def _add(a, b):
    """a + b, None (unknown: a cycle) when either is."""
    if a is None or b is None:
        return None
    return CONTEXT.add(a, b) if isinstance(a, Decimal) else a + b


def _valid_on(line, date: dt.date | None) -> bool:
    """A price or discount line valid on ``date`` by the model's own rule (``from`` and ``to``
    inclusive); its minimum quantity depends on the lot size costed, so it does not count here."""
    return date is None or line.valid(date, line.min_qty)


def _validity(line) -> str:
    parts = []
    if line.starting is not None:
        parts.append(f"from {line.starting.isoformat()}")
    if line.ending is not None:
        parts.append(f"to {line.ending.isoformat()}")
    if line.min_qty:
        parts.append(f"min-qty {line.min_qty}")
    return " ".join(parts)
