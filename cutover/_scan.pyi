# The C row pass of triage (cutover/_scan.c); optional, see cutover.triage.

from array import array

Found = tuple[int, list[int], list[str], list[int], bytes, bytes]

def hash_id(text: str, /) -> int: ...
def tables(codes: dict[str, int], items: dict[str, int], statuses: dict[str, int], /) -> object: ...
def block(
    text: str,
    width: int,
    columns: tuple[int, int, int, int, int, int],
    tables: object,
    limit: int,
    end: int,
    far: int,
    /,
) -> Found | None: ...
def distribute(
    hashes: bytes,
    buckets: list[array[int]],
    owners: list[array[int]],
    ends: list[array[int]],
    number: int,
    /,
) -> None: ...
def repeated(hashes: array[int], /) -> set[int]: ...
