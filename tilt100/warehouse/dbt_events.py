"""dbt's debug events, dropped where nothing reads them (the refresh's dbt process, the tests' dbt).

dbt turns every event into a message (protobuf) before its loggers and
callbacks look at it: a debug event for each SQL statement, connection and
cache step, some 15 a node, a tenth of a build's time. ``drop_unread_debug_events``
drops a debug event before that, when no logger writes debug lines (``--debug``,
``--log-level debug`` or the file log's default, ``--log-level-file debug``) and
it is not one of the events a callback asks for: what any log says is unchanged.
dbt makes the message as it creates the event, though, before it can be dropped:
``make_event_messages_when_read`` makes it on first use instead, so a dropped
event costs its fields alone (a whole build 9 % less CPU, BENCHMARKS.md).
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


def make_event_messages_when_read() -> None:
    """In a dbt process, before dbt runs: an event's protobuf message made when first read, not when the event is.

    dbt makes each event's message (``ParseDict`` of its fields) as the event
    is created, before `drop_unread_debug_events` can drop it: the debug events
    of every SQL statement were made whole to be thrown away. The fields are kept
    as given and made a message on first use (a logger, a callback, a field
    read); an event nobody reads is never made one.
    """
    from dbt_common.events.base_types import BaseEvent

    init, get, put = BaseEvent.__init__, BaseEvent.__getattr__, BaseEvent.__setattr__
    if getattr(init, "made_when_read", False):
        return

    def made(event: BaseEvent) -> None:
        pending = event.__dict__.pop("_pending", None)
        if pending is not None:
            init(event, *pending[0], **pending[1])

    def keep_fields(self: BaseEvent, *args: object, **kwargs: object) -> None:
        self.__dict__["_pending"] = (args, kwargs)

    def get_field(self: BaseEvent, key: str) -> object:  # called for what the event itself lacks: its message
        if "_pending" in self.__dict__:
            made(self)
            return getattr(self, key)
        return get(self, key)

    def set_field(self: BaseEvent, key: str, value: object) -> None:
        made(self)
        put(self, key, value)

    keep_fields.made_when_read = True  # type: ignore[attr-defined]
    BaseEvent.__init__ = keep_fields  # type: ignore[method-assign]
    BaseEvent.__getattr__ = get_field  # type: ignore[method-assign]
    BaseEvent.__setattr__ = set_field  # type: ignore[method-assign]
