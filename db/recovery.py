"""The recovery key (herstelsleutel): the raw 256-bit database key in a form a person can type.

Format: 13 groups of 5 Crockford base32 characters, e.g. ``7ZQ4M-K2P9X-…``. Each group holds
four data characters (20 bits) and one check character (Luhn mod 32 over the group's position
and its data), so a single mistyped character, or two swapped neighbours, is caught and the
group is named. The 52 data characters carry the 256 key bits plus four zero bits. Decoding
gives back the raw key, so any SQLCipher 4 tool opens the file with ``PRAGMA key = "x'…'"``.
"""

from __future__ import annotations

from db.errors import RecoveryKeyError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_VALUE.update({"O": 0, "I": 1, "L": 1})
GROUPS = 13
DATA_CHARS = 4
KEY_BYTES = 32


def _check_char(position: int, data: str) -> str:
    """Luhn mod 32 over the group position (so swapped groups are caught) and the data."""
    values = [position % 32] + [_VALUE[c] for c in data]
    total = 0
    factor = 2
    for value in reversed(values):
        addend = factor * value
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def encode_recovery_key(raw_key: bytes) -> str:
    """The typable recovery key for a 32-byte raw key."""
    if len(raw_key) != KEY_BYTES:
        raise ValueError("a raw key has 32 bytes")
    number = int.from_bytes(raw_key, "big") << 4  # 260 bits = 52 characters
    chars = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(52)))
    groups = []
    for g in range(GROUPS):
        data = chars[g * DATA_CHARS:(g + 1) * DATA_CHARS]
        groups.append(data + _check_char(g, data))
    return "-".join(groups)


def decode_recovery_key(text: str) -> bytes:
    """The raw key from a typed recovery key. Case, spaces and dashes do not matter.

    Raises RecoveryKeyError with a Dutch message naming the first group with a typo.
    """
    cleaned = "".join(ch for ch in text.upper() if not ch.isspace() and ch != "-")
    expected = GROUPS * (DATA_CHARS + 1)
    for index, ch in enumerate(cleaned):
        if ch not in _VALUE:
            group = index // (DATA_CHARS + 1) + 1
            raise RecoveryKeyError(
                f"Groep {group} van de herstelsleutel bevat het teken '{ch}', dat niet in een "
                "herstelsleutel voorkomt. Controleer die groep."
            )
    if len(cleaned) != expected:
        raise RecoveryKeyError(
            f"De herstelsleutel heeft {expected} tekens in {GROUPS} groepen van 5; "
            f"u typte er {len(cleaned)}. Controleer of er een groep ontbreekt of dubbel staat."
        )
    normal = "".join(ALPHABET[_VALUE[c]] for c in cleaned)
    data = []
    for g in range(GROUPS):
        group = normal[g * 5:(g + 1) * 5]
        if _check_char(g, group[:4]) != group[4]:
            raise RecoveryKeyError(
                f"Groep {g + 1} van de herstelsleutel ({group}) klopt niet: er zit waarschijnlijk "
                "een tikfout in. Vergelijk die groep met het papier uit de kluis."
            )
        data.append(group[:4])
    number = 0
    for ch in "".join(data):
        number = number * 32 + _VALUE[ch]
    if number & 0xF:
        raise RecoveryKeyError("Deze herstelsleutel is niet geldig (controlebits kloppen niet).")
    return (number >> 4).to_bytes(KEY_BYTES, "big")
