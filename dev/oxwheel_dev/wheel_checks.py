"""The checks each release wheel must pass.

    python -m oxwheel_dev.wheel_checks DIRECTORY --tag TAG [--tag TAG ...]

checks that DIRECTORY holds, for each cross-built platform of the table (tables.py) and each
TAG given (--tag may repeat), one wheel tagged TAG and the platform's tag, and that each passes
abi3audit (abi3 and abi3t tags), twine check --strict, check-wheel-contents, auditwheel show
(Linux) and carries a binary of the right architecture with the entry point its ABI needs;
then prints a table of platform, tag and size. The checkers are run as
`python -m`, so run this with a Python that has them installed. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from .tables import Platform, cross_built

# A wheel should stay within 300 KB. Reported, not enforced here.
SIZE_BUDGET = 300 * 1000

# The machine numbers of the two architectures the wheels are built for, per binary format.
ELF_MACHINES = {0x3E: "x86_64", 0xB7: "aarch64"}
MACHO_CPU_TYPES = {0x01000007: "x86_64", 0x0100000C: "aarch64"}
PE_MACHINES = {0x8664: "x86_64", 0xAA64: "aarch64"}


def binary_architectures(header: bytes) -> list[str]:
    """The architectures an ELF, Mach-O (thin or fat/universal) or PE binary is built for.

    Only the first kilobytes of the file are needed. Unknown machine numbers come back as
    "unknown 0x..." so that a comparison fails with the number in the message.
    """

    def name(table: dict[int, str], number: int) -> str:
        return table.get(number, f"unknown {number:#x}")

    if header[:4] == b"\x7fELF":
        # e_machine follows the 16-byte e_ident and the 2-byte e_type; EI_DATA 1 is little-endian.
        order = "<" if header[5] == 1 else ">"
        return [name(ELF_MACHINES, struct.unpack_from(order + "H", header, 18)[0])]
    if header[:4] in (b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe"):
        # Thin Mach-O, 32 or 64 bit, little-endian: cputype follows the magic.
        return [name(MACHO_CPU_TYPES, struct.unpack_from("<I", header, 4)[0])]
    if header[:4] == b"\xca\xfe\xba\xbe":
        # Fat (universal) Mach-O, big-endian: a count, then 20-byte entries starting with cputype.
        (count,) = struct.unpack_from(">I", header, 4)
        return [
            name(MACHO_CPU_TYPES, struct.unpack_from(">I", header, 8 + 20 * index)[0])
            for index in range(count)
        ]
    if header[:2] == b"MZ":
        # The DOS header points at the PE signature; the machine field follows it.
        (pe_offset,) = struct.unpack_from("<I", header, 0x3C)
        if header[pe_offset : pe_offset + 4] != b"PE\0\0":
            raise ValueError("MZ header without a PE signature")
        return [name(PE_MACHINES, struct.unpack_from("<H", header, pe_offset + 4)[0])]
    raise ValueError(f"not an ELF, Mach-O or PE binary (starts with {header[:4]!r})")


def wheel_tags(wheel: Path) -> tuple[str, str]:
    """`cp311-abi3` and the platform tag of a wheel's file name."""
    _name, _version, python_tag, abi_tag, platform_tag = wheel.name.removesuffix(".whl").split("-")
    return f"{python_tag}-{abi_tag}", platform_tag


def platform_of(wheel: Path) -> Platform | None:
    return next((p for p in cross_built() if p.tag == wheel_tags(wheel)[1]), None)


def extension(wheel: Path) -> tuple[str, bytes]:
    """The path and the bytes of the wheel's one extension binary."""
    with zipfile.ZipFile(wheel) as archive:
        binaries = [name for name in archive.namelist() if name.endswith((".so", ".pyd"))]
        if len(binaries) != 1:
            raise ValueError(f"expected one extension binary, found {binaries}")
        return binaries[0], archive.read(binaries[0])


def entry_point(binary: bytes, module: str) -> str:
    """How the interpreter loads the module: PEP 793's PyModExport_<name>, which abi3t builds
    export, or the classic PyInit_<name>. Both names sit in the export tables as text."""
    found = [kind for kind in ("PyModExport", "PyInit") if f"{kind}_{module}".encode() in binary]
    if len(found) != 1:
        raise ValueError(f"expected one entry point for {module}, found {found}")
    return found[0]


def abi3t_problems(wheel: Path) -> list[str]:
    """abi3audit on an abi3t wheel. abi3audit 0.0.26 predates PEP 803: in an ELF binary it
    reports the module's own PyModExport_ export as a symbol outside the stable ABI. That
    report is accepted; any other symbol is a problem."""
    result = run_checker("abi3audit", "--report", str(wheel))
    report = json.loads(result.stdout.strip().splitlines()[-1])
    (spec,) = report["specs"].values()
    outside = {
        symbol for binary in spec["wheel"] for symbol in binary["result"]["non_abi3_symbols"]
    }
    unexpected = sorted(symbol for symbol in outside if not symbol.startswith("PyModExport_"))
    return [f"abi3audit: outside the stable ABI: {unexpected}"] if unexpected else []


def run_checker(*arguments: str) -> subprocess.CompletedProcess[str]:
    print(f"    $ {' '.join(arguments)}", flush=True)
    return subprocess.run(
        [sys.executable, "-m", *arguments], capture_output=True, text=True, check=False
    )


def fits(verdict: str, policy: str) -> bool:
    """Whether a binary auditwheel judges `verdict` (e.g. manylinux_2_17_x86_64) runs wherever
    `policy` (manylinux_2_28_x86_64) does: the same family and architecture, no newer libc."""

    def parts(tag: str) -> tuple[str, tuple[int, int], str]:
        family, major, minor, arch = tag.split("_", 3)
        return family, (int(major), int(minor)), arch

    if not verdict.startswith(("manylinux_", "musllinux_")):
        return False
    (family, version, arch), (wanted_family, wanted, wanted_arch) = parts(verdict), parts(policy)
    return (family, arch) == (wanted_family, wanted_arch) and version <= wanted


def auditwheel_problems(wheel: Path, policy: str) -> list[str]:
    # An empty library path: the verdict then depends on the wheel only, not on this host's
    # libraries (which are x86_64 glibc and would crash auditwheel on a musl wheel).
    with tempfile.TemporaryDirectory() as no_libraries:
        shown = run_checker("auditwheel", "show", "--json", "--ldpaths", no_libraries, str(wheel))
    if shown.returncode != 0:
        return [f"auditwheel show failed:\n{shown.stdout}{shown.stderr}"]
    report = json.loads(shown.stdout)
    external = set(report["external_libs"])
    if policy.startswith("musllinux"):
        # A zig-linked musl binary needs "libc.so", which musl's loader resolves to itself.
        # auditwheel only knows Alpine's file name for it (libc.musl-<arch>.so.1), so it calls
        # the wheel plain linux_<arch>; the symbol policy is the part it can judge.
        verdict, external = report["sym_tag"], external - {"libc.so"}
    else:
        verdict = report["overall_tag"]
    print(f"    auditwheel: {verdict}, external libraries {sorted(external) or 'none'}")
    problems = [] if fits(verdict, policy) else [f"auditwheel says {verdict}, beyond {policy}"]
    return problems + ([f"needs external libraries {sorted(external)}"] if external else [])


def wheel_problems(wheel: Path, platform: Platform, tag: str) -> list[str]:
    """Everything wrong with one wheel (an empty list when it passes)."""
    problems = []
    if wheel_tags(wheel)[0] != tag:
        problems.append(f"tagged {wheel_tags(wheel)[0]}, expected {tag}")
    checkers = [("twine", "check", "--strict", str(wheel)), ("check_wheel_contents", str(wheel))]
    if tag.endswith("-abi3"):
        checkers.append(("abi3audit", "--strict", "--report", str(wheel)))
    for checker in checkers:
        result = run_checker(*checker)
        if result.returncode != 0:
            problems.append(f"{checker[0]} failed:\n{result.stdout}{result.stderr}")
    if tag.endswith(".abi3t"):
        problems += abi3t_problems(wheel)
    if platform.auditwheel_policy:
        problems += auditwheel_problems(wheel, platform.auditwheel_policy)
    name, binary = extension(wheel)
    architectures = binary_architectures(binary[:4096])
    entry = entry_point(binary, Path(name).name.split(".")[0])
    print(f"    binary: {name}, {' + '.join(architectures)}, loaded through {entry}")
    if architectures != [platform.machine]:
        problems.append(f"binary is {architectures}, expected {platform.machine}")
    wanted = "PyModExport" if tag.endswith(".abi3t") else "PyInit"
    if entry != wanted:
        problems.append(f"the binary exports {entry}_, expected {wanted}_ for {tag}")
    if name.endswith(".so") and f".{suffix_marker(tag)}" not in name:
        problems.append(f"{name} is not named for {tag}: expected .{suffix_marker(tag)} in it")
    return problems


def suffix_marker(tag: str) -> str:
    """What the extension's file name holds for the ABI of `tag` (Windows' .pyd holds none):
    abi3, abi3t, or cpython-3XYt for a version-specific free-threaded build."""
    abi = tag.split("-")[1]
    if abi.startswith("abi3"):
        return abi.rsplit(".", 1)[-1]
    return f"cpython-{abi.removeprefix('cp')}"


def table(wheels: list[Path]) -> str:
    """Platform, tag and size of each wheel, one line each, in the table's order."""
    platforms = cross_built()

    def order(wheel: Path) -> int:
        platform = platform_of(wheel)
        return platforms.index(platform) if platform else len(platforms)

    lines = [f"{'platform':<22} {'size':>8}  tag"]
    for wheel in sorted(wheels, key=order):
        platform = platform_of(wheel)
        size = wheel.stat().st_size
        over = f"  over {SIZE_BUDGET // 1000} KB" if size > SIZE_BUDGET else ""
        name, tag = platform.name if platform else "?", "-".join(wheel_tags(wheel))
        lines.append(f"{name:<22} {size / 1000:>5.0f} KB  {tag}{over}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument(
        "--tag", required=True, action="append", help="python and ABI tags, e.g. cp311-abi3"
    )
    arguments = parser.parse_args()
    wheels = sorted(arguments.directory.glob("*.whl"))
    failures = []
    for platform in cross_built():
        for tag in arguments.tag:
            found = [w for w in wheels if platform_of(w) == platform and wheel_tags(w)[0] == tag]
            if len(found) != 1:
                failures.append(f"{platform.name} {tag}: expected one wheel, found {found}")
                continue
            print(f"{platform.name}: {found[0].name}", flush=True)
            problems = wheel_problems(found[0], platform, tag)
            failures += [f"{found[0].name}: {problem}" for problem in problems]
    unexpected = [wheel.name for wheel in wheels if platform_of(wheel) is None]
    failures += [f"{name}: no platform has this tag" for name in unexpected]
    print(table(wheels))
    for failure in failures:
        print(f"FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
