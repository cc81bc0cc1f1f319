"""dbt's debug events, dropped where nothing reads them (the refresh's dbt process, the tests' dbt).

dbt turns every event into a message (protobuf) before its loggers and
callbacks look at it: a debug event for each SQL statement, connection and
cache step, some 15 a node, a tenth of a build's time. ``drop_unread_debug_events``
drops a debug event before that, when no logger writes debug lines (``--debug``,
``--log-level debug`` or the file log's default, ``--log-level-file debug``) and
it is not one of the events a callback asks for: what any log says is unchanged.
"""

from __future__ import annotations


def drop_unread_debug_events(read: frozenset[str] = frozenset()) -> None:
    """In a dbt process, before dbt runs: drop the debug events no logger writes, but those named in `read`."""
    from dbt_common.events.base_types import BaseEvent, EventLevel
    from dbt_common.events.event_manager import EventManager

    fire = EventManager.fire_event
    if getattr(fire, "drops_unread", False):
        return

    def fire_event(
        self: EventManager,
        e: BaseEvent,
        level: EventLevel | None = None,
        node: object = None,
        force_warn_or_error_handling: bool = False,
    ) -> None:
        if (
            (level or e.level_tag()) == EventLevel.DEBUG
            and type(e).__name__ not in read
            and all(logger.level != EventLevel.DEBUG for logger in self.loggers)
        ):
            return
        fire(self, e, level, node, force_warn_or_error_handling)

    fire_event.drops_unread = True  # type: ignore[attr-defined]
    EventManager.fire_event = fire_event  # type: ignore[method-assign]
