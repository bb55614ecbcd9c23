"""A terminal progress bar for imports: rows done, rate and time left."""

import sys


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class TerminalBar:
    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width

    def __call__(self, progress) -> None:
        filled = int(self.width * progress.fraction)
        bar = "█" * filled + "·" * (self.width - filled)
        if progress.steps:
            self.stream.write(
                f"\r{bar} {progress.rows:,} rows checked; writing, step {progress.step:,} of "
                f"{progress.steps:,} "
            )
            if progress.step == progress.steps:
                self.stream.write("\n")
            self.stream.flush()
            return
        self.stream.write(
            f"\r{bar} {progress.fraction * 100:5.1f}%  {progress.rows:,} rows  "
            f"{progress.rate:,.0f} rows/s  {_duration(progress.remaining)} left "
        )
        if progress.fraction >= 1.0:
            self.stream.write("\n")
        self.stream.flush()
