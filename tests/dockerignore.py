""".dockerignore read and matched as Docker does, to test what goes into the image without
a container engine: a port of moby/patternmatcher (Pattern.compile and
MatchesOrParentMatches, what BuildKit's context walker applies) and of
patternmatcher/ignorefile.ReadAll, for slash-separated paths (Linux)."""

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path


def go_clean(path: str) -> str:
    """Go's filepath.Clean on Linux."""
    if not path:
        return "."
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def read_ignore_file(text: str) -> list[str]:
    """ignorefile.ReadAll: comments and blank lines dropped, each pattern cleaned and made
    relative to the context, a leading ! kept."""
    patterns = []
    for number, line in enumerate(text.splitlines()):
        if number == 0:
            line = line.removeprefix("\ufeff")
        if line.startswith("#"):
            continue
        pattern = line.strip()
        if not pattern:
            continue
        invert = pattern.startswith("!")
        if invert:
            pattern = pattern[1:].strip()
        if pattern:
            pattern = go_clean(pattern)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern[1:]
        patterns.append("!" + pattern if invert else pattern)
    return patterns


@dataclass
class Pattern:
    cleaned: str
    exclusion: bool
    kind: str = ""
    regexp: re.Pattern | None = None

    def __post_init__(self) -> None:
        self._compile()

    def _compile(self) -> None:
        """Pattern.compile: the pattern as an exact, prefix or suffix match, or a regexp."""
        regex, kind, chars, position, i = "^", "exact", self.cleaned, 0, 0
        while position < len(chars):
            ch = chars[position]
            position += 1
            if ch == "*":
                if position < len(chars) and chars[position] == "*":  # some flavour of **
                    position += 1
                    if position < len(chars) and chars[position] == "/":  # **/ is **
                        position += 1
                    if position == len(chars):  # ** at the end: anything
                        if kind == "exact":
                            kind = "prefix"
                        else:
                            regex += ".*"
                            kind = "regexp"
                    else:  # any number of directories, even none
                        regex += "(.*/)?"
                        kind = "regexp"
                    if i == 0:
                        kind = "suffix"
                else:
                    regex += "[^/]*"
                    kind = "regexp"
            elif ch == "?":
                regex += "[^/]"
                kind = "regexp"
            elif ch in ".+()|{}$":
                regex += "\\" + ch
            elif ch == "\\":
                if position < len(chars):
                    regex += "\\" + chars[position]
                    position += 1
                    kind = "regexp"
                else:
                    regex += "\\\\"
            elif ch in "[]":
                regex += ch
                kind = "regexp"
            else:
                regex += ch
            i += 1
        if kind == "regexp":
            self.regexp = re.compile(regex + "$")
        self.kind = kind

    def match(self, path: str) -> bool:
        if self.kind == "exact":
            return path == self.cleaned
        if self.kind == "prefix":
            return path.startswith(self.cleaned[:-2])
        if self.kind == "suffix":
            suffix = self.cleaned[2:]
            return path.endswith(suffix) or (suffix.startswith("/") and path == suffix[1:])
        return bool(self.regexp.search(path))


class PatternMatcher:
    def __init__(self, patterns: list[str]):
        self.patterns = []
        for pattern in patterns:
            pattern = pattern.strip()
            if not pattern:
                continue
            pattern = go_clean(pattern)
            exclusion = pattern.startswith("!")
            if exclusion:
                if len(pattern) == 1:
                    raise ValueError('illegal exclusion pattern: "!"')
                pattern = pattern[1:]
            self.patterns.append(Pattern(pattern, exclusion))

    def matches_or_parent_matches(self, path: str) -> bool:
        """True when `path` (slash-separated, relative to the context) is left out."""
        matched = False
        parent = posixpath.dirname(path) or "."
        parent_dirs = parent.split("/")
        for pattern in self.patterns:
            if pattern.exclusion != matched:
                continue
            match = pattern.match(path)
            if not match and parent != ".":
                match = any(pattern.match("/".join(parent_dirs[: i + 1])) for i in range(len(parent_dirs)))
            if match:
                matched = not pattern.exclusion
        return matched


def context_files(root: Path) -> list[str]:
    """Every file and symlink under `root`, as a build context walk sees them (symlinks,
    such as a .venv that points elsewhere, are sent as links and not followed)."""
    found = []
    for directory, dirs, files in os.walk(root):
        for name in files + [d for d in dirs if (Path(directory) / d).is_symlink()]:
            found.append((Path(directory) / name).relative_to(root).as_posix())
    return sorted(found)


def sent_files(root: Path) -> list[str]:
    """The files of `root` that its .dockerignore lets into the build context."""
    matcher = PatternMatcher(read_ignore_file((root / ".dockerignore").read_text()))
    return [path for path in context_files(root) if not matcher.matches_or_parent_matches(path)]


def copied_files(containerfile: str, sent: list[str]) -> list[str]:
    """The context files the Containerfile's COPY instructions put into the image."""
    copied = set()
    for line in containerfile.splitlines():
        words = line.split()
        if not words or words[0].upper() != "COPY" or any(w.startswith("--from") for w in words):
            continue
        for source in (go_clean(word) for word in words[1:-1] if not word.startswith("--")):
            copied.update(path for path in sent if source == "." or path == source or path.startswith(source + "/"))
    return sorted(copied)
