"""Sample data for the history tests."""

from __future__ import annotations

#: The result JSON of docs/json.md, "costsheet calc" (its example), completed.
SECTION_9_RESULT = {
    "item": "ICO-0001",
    "lot_size": "10",
    "date": "2026-11-22",
    "unit_cost": "1234.56789",
    "elements": {
        "1110": {"single_level": "900.1", "rolled_up": "700.2"},
        "2110": {"single_level": "300.00", "rolled_up": "500.00"},
        "3100": {"single_level": "34.46789", "rolled_up": "34.36789"},
    },
    "totals": {"1199": "700.2", "5000": "1234.56789"},
    "charges": [
        {"line": 1, "row": "A", "description": "Cost of goods manufactured", "element": "5000", "value": "1234.56789"},
        {"line": 2, "row": "B", "description": "Sales overhead", "element": "6100", "value": "123.456789"},
        {"line": 3, "row": None, "description": "All prices exclude VAT", "element": None, "value": None},
    ],
    "list_price": "1999.95",
    "prices": [
        {
            "kind": "sales-price",
            "sales_type": "customer-price-group",
            "sales_code": "RETAIL",
            "price": "1999.95",
            "starting_date": "2026-11-22",
        }
    ],
    "standard_costs": {"ICO-0001": "1234.56789"},
}
