"""wheel_checks: the binary-architecture parser on small hand-made headers, the platform of a
wheel name, and the libc policy comparison."""

import struct
from pathlib import Path

import pytest
from oxwheel_dev import tables, wheel_checks
from oxwheel_dev.wheel_checks import binary_architectures


def elf(machine: int, *, big_endian: bool = False) -> bytes:
    order = ">" if big_endian else "<"
    ident = b"\x7fELF" + bytes([2, 2 if big_endian else 1, 1]) + bytes(9)
    return ident + struct.pack(order + "HH", 3, machine)


def thin_macho(cputype: int) -> bytes:
    return b"\xcf\xfa\xed\xfe" + struct.pack("<II", cputype, 0)


def fat_macho(*cputypes: int) -> bytes:
    entries = b"".join(struct.pack(">IIIII", cputype, 0, 0x4000, 0, 14) for cputype in cputypes)
    return b"\xca\xfe\xba\xbe" + struct.pack(">I", len(cputypes)) + entries


def pe(machine: int) -> bytes:
    dos_header = b"MZ" + bytes(0x3A) + struct.pack("<I", 0x80)
    return dos_header.ljust(0x80, b"\0") + b"PE\0\0" + struct.pack("<H", machine)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (elf(0x3E), ["x86_64"]),
        (elf(0xB7), ["aarch64"]),
        (elf(0x16, big_endian=True), ["unknown 0x16"]),
        (thin_macho(0x0100000C), ["aarch64"]),
        (thin_macho(0x01000007), ["x86_64"]),
        (fat_macho(0x01000007, 0x0100000C), ["x86_64", "aarch64"]),
        (pe(0x8664), ["x86_64"]),
        (pe(0xAA64), ["aarch64"]),
    ],
)
def test_architectures(header: bytes, expected: list[str]) -> None:
    assert binary_architectures(header) == expected


@pytest.mark.parametrize("header", [b"#!/bin/sh\n", b"MZ" + bytes(0x3A) + struct.pack("<I", 0x40)])
def test_other_files_are_refused(header: bytes) -> None:
    with pytest.raises(ValueError, match=r"not an ELF|without a PE signature"):
        binary_architectures(header.ljust(0x80, b"\0"))


def test_each_platform_tag_names_one_platform() -> None:
    wheel = Path("pkg-1.0-cp311-abi3-macosx_11_0_arm64.whl")
    assert wheel_checks.wheel_tags(wheel) == ("cp311-abi3", "macosx_11_0_arm64")
    platform = wheel_checks.platform_of(wheel)
    assert platform is not None
    assert (platform.platform, platform.arch, platform.machine) == ("macos", "arm64", "aarch64")
    tags = [platform.tag for platform in tables.platforms()]
    assert len(set(tags)) == len(tags)


@pytest.mark.parametrize(
    ("verdict", "policy", "expected"),
    [
        ("manylinux_2_17_x86_64", "manylinux_2_28_x86_64", True),
        ("manylinux_2_28_x86_64", "manylinux_2_28_x86_64", True),
        ("manylinux_2_34_x86_64", "manylinux_2_28_x86_64", False),
        ("manylinux_2_17_aarch64", "manylinux_2_28_x86_64", False),
        ("musllinux_1_2_x86_64", "manylinux_2_28_x86_64", False),
        ("linux_x86_64", "manylinux_2_28_x86_64", False),
        ("musllinux_1_1_aarch64", "musllinux_1_2_aarch64", True),
    ],
)
def test_a_wheel_may_need_an_older_libc_than_its_tag(
    verdict: str, policy: str, expected: bool
) -> None:
    assert wheel_checks.fits(verdict, policy) is expected


@pytest.mark.parametrize(
    ("tag", "marker"),
    [("cp3N-abi3", "abi3"), ("cp3N-abi3.abi3t", "abi3t"), ("cp3N-cp3Nt", "cpython-3Nt")],
)
def test_each_abi_names_its_extension_file(tag: str, marker: str) -> None:
    assert wheel_checks.suffix_marker(tag) == marker


def test_the_entry_point_tells_abi3t_from_the_rest() -> None:
    assert wheel_checks.entry_point(b"..PyModExport__core..", "_core") == "PyModExport"
    assert wheel_checks.entry_point(b"..PyInit__core..", "_core") == "PyInit"
    with pytest.raises(ValueError, match="one entry point"):
        wheel_checks.entry_point(b"PyInit__other", "_core")
