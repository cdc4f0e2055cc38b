"""Runtime monitoring, the DPIA / data-inventory report and the red-team run.

``signals`` (pure per-key exfiltration signals) and ``monitor`` (metrics, policy, the API
hook) watch a running gateway; ``report`` describes one tenant; ``redteam`` attacks a running
deployment from outside, through the SDK and raw HTTP.
"""

from privrag.config import Settings
from privrag.monitoring.monitor import KeyThrottled, Monitor
from privrag.monitoring.signals import KeySignals, MonitorPolicy, Reading


def policy_from_settings(settings: Settings) -> MonitorPolicy:
    return MonitorPolicy(
        action=settings.monitor_action,
        window_s=settings.monitor_window_s,
        horizon_s=settings.monitor_horizon_s,
        volume_z=settings.monitor_volume_z,
        min_volume=settings.monitor_min_volume,
        coverage=settings.monitor_coverage,
        min_distinct=settings.monitor_min_distinct,
        relevance_floor=settings.monitor_relevance_floor,
        weak_share=settings.monitor_weak_share,
        weak_window=settings.monitor_weak_window,
        weak_min_queries=settings.monitor_weak_min_queries,
        throttle_s=settings.monitor_throttle_s,
        throttle_interval_s=settings.monitor_throttle_interval_s,
        max_keys=settings.monitor_max_keys,
        max_chunks_per_key=settings.monitor_max_chunks_per_key,
    )


__all__ = [
    "KeySignals",
    "KeyThrottled",
    "Monitor",
    "MonitorPolicy",
    "Reading",
    "policy_from_settings",
]
