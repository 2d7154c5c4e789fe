"""What `--provider-batch` runs remember in DIR between runs: the batches in flight, and the
requests that must not be sent again.

`DIR/.summarise-provider-batches.json`, owner-only, rewritten atomically before and after
every remote step, so a run killed at any point resumes without submitting twice or losing a
batch. A batch goes through these stages:

    prepared  - its requests file is written (DIR/.summarise-provider/LOCAL_ID.jsonl)
    uploaded  - the Files API holds it (file_id); the batch may or may not exist yet: before
                creating, a resumed run looks for a batch carrying its local id in metadata
    submitted - the batch exists (batch_id); later runs poll it and collect it when it ends

A collected batch leaves the state. `attempts` counts, per request (custom_id), the batches it
was lost from (expired, failed, error file); `blocked` holds requests that are not resubmitted
(a cancelled batch, a request the provider refused) with the reason, until `--force`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from summarise_agent.output import render_json, write_atomically

PROVIDER_STATE_FILE = ".summarise-provider-batches.json"
PROVIDER_DIR = ".summarise-provider"  # requests files and downloaded results, in DIR
STATE_VERSION = 1


@dataclass
class TrackedBatch:
    local_id: str  # ours, also in the batch's metadata: finds a batch created before a crash
    stage: str  # prepared | uploaded | submitted
    custom_ids: list[str]
    prepared_at: float
    file_id: str | None = None
    batch_id: str | None = None
    status: str | None = None  # the provider's last reported status
    model: str = ""  # priced at the batch rate of this model when collected


@dataclass
class ProviderState:
    path: Path
    batches: list[TrackedBatch] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)
    blocked: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> ProviderState:
        path = out_dir / PROVIDER_STATE_FILE
        try:
            raw: Any = json.loads(path.read_bytes())
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as error:
            from summarise_agent.errors import ConfigError

            # never guess: a lost batch id is a batch paid for and never collected
            raise ConfigError(f"{path} cannot be read ({error}): restore it, or move it "
                              "away to forget the batches it tracks") from None  # fmt: skip
        if raw.get("state_version") != STATE_VERSION:
            from summarise_agent.errors import ConfigError

            raise ConfigError(f"{path}: unknown state_version {raw.get('state_version')!r}")
        batches = [TrackedBatch(**entry) for entry in raw.get("batches", [])]
        return cls(path, batches, dict(raw.get("attempts", {})), dict(raw.get("blocked", {})))

    def save(self) -> None:
        state = {"state_version": STATE_VERSION,
                 "batches": [asdict(batch) for batch in self.batches],
                 "attempts": dict(sorted(self.attempts.items())),
                 "blocked": dict(sorted(self.blocked.items()))}  # fmt: skip
        write_atomically(self.path, render_json(state), mode=0o600)

    def in_flight(self) -> set[str]:
        return {custom_id for batch in self.batches for custom_id in batch.custom_ids}

    def forget(self, batch: TrackedBatch) -> None:
        self.batches = [kept for kept in self.batches if kept.local_id != batch.local_id]

    def reset(self) -> None:
        """--force: lost and refused requests may be sent again."""
        self.attempts.clear()
        self.blocked.clear()

    def work_dir(self) -> Path:
        return self.path.parent / PROVIDER_DIR
