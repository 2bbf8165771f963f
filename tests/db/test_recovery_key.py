import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.errors import RecoveryKeyError
from db.recovery import ALPHABET, decode_recovery_key, encode_recovery_key


@given(st.binary(min_size=32, max_size=32))
def test_recovery_key_round_trips_any_key(raw):
    text = encode_recovery_key(raw)
    assert decode_recovery_key(text) == raw
    assert decode_recovery_key(text.lower().replace("-", " ")) == raw


@given(st.binary(min_size=32, max_size=32), st.integers(0, 64), st.integers(1, 31))
def test_one_typo_is_caught_and_its_group_named(raw, position, shift):
    groups = encode_recovery_key(raw).split("-")
    chars = list("".join(groups))
    index = position % len(chars)
    chars[index] = ALPHABET[(ALPHABET.index(chars[index]) + shift) % 32]
    typed = "-".join("".join(chars[i:i + 5]) for i in range(0, len(chars), 5))
    with pytest.raises(RecoveryKeyError) as caught:
        decode_recovery_key(typed)
    assert f"Groep {index // 5 + 1} " in str(caught.value)


def test_swapped_neighbours_in_a_group_are_caught():
    raw = bytes(range(32))
    groups = encode_recovery_key(raw).split("-")
    caught = 0
    for g, group in enumerate(groups):
        for i in range(4):
            if group[i] == group[i + 1]:
                continue
            swapped = group[:i] + group[i + 1] + group[i] + group[i + 2:]
            typed = "-".join(groups[:g] + [swapped] + groups[g + 1:])
            with pytest.raises(RecoveryKeyError):
                decode_recovery_key(typed)
            caught += 1
    assert caught > 30


def test_missing_group_and_foreign_characters_are_explained():
    text = encode_recovery_key(bytes(32))
    with pytest.raises(RecoveryKeyError, match="65 tekens"):
        decode_recovery_key(text[:-6])
    with pytest.raises(RecoveryKeyError, match="Groep 1 .*'U'"):
        decode_recovery_key("U" + text[1:])


def test_confusable_letters_are_read_as_digits():
    raw = bytes(32)
    text = encode_recovery_key(raw)  # all zeros: plenty of 0s
    assert decode_recovery_key(text.replace("0", "O")) == raw
