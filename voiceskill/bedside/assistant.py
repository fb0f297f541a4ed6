"""What bedside mode says and does for each request, over one-method ports: a mouth that
says a line, ears that return the words heard (None for silence), a journal, and a way to run
the full check-in. The same code runs in the service and in the conversation tests."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from ..content import VOICE_CONTROLS
from ..dialog import Dialog
from ..dialog.state import _LIMITS  # the check-in's lines for a voice already at its end
from ..errors import VoiceskillError
from ..speech import Speaker
from ..wording import Wording
from . import relief
from .memory import NightJournal, week_in_words
from .requests import BedsideContent, Request
from .schedule import Clock, Reminder
from .settings import BedsideSettings

log = logging.getLogger(__name__)

STEP_WAIT = 20.0
"""Seconds of silence after a relief step before the next is read: time to do it."""
REPLY_WAIT = 8.0
"""Seconds to wait for a yes or no."""


class Ears(Protocol):
    def hear(self, phrases: Sequence[str], timeout: float) -> str | None:
        """The words of the next utterance (matched against ``phrases`` where the engine can),
        or None when nothing was said within ``timeout`` seconds."""
        ...


CheckinRunner = Callable[[Dialog], None]
"""Runs the full check-in on a fresh dialog (as `voiceskill checkin` does) until it ends."""


@dataclass
class Assistant:
    content: BedsideContent
    settings: BedsideSettings
    mouth: Speaker
    ears: Ears
    journal: NightJournal
    clock: Clock
    run_checkin: CheckinRunner
    reminder: Reminder | None = None

    @property
    def _listener(self) -> str | None:
        return self.settings.listener

    def _line(self, key: str) -> str:
        return self.content.line(key, self.settings.person)

    def _say(self, text: str, then_listen: bool = False) -> None:
        log.info("says: %s", text)
        self.mouth.say(text, then_listen)

    def _reply(self, timeout: float = REPLY_WAIT) -> str:
        phrases = (*self.content.replies.phrases, *self.content.requests.phrases)
        return self.content.reply(self.ears.hear(phrases, timeout))

    def handle(self, request: Request) -> None:
        """One request, heard after the wake word; returns when bedside mode waits again."""
        log.info("request %s (%r)", request.intent, request.text)
        if request.intent in ("none", "stop"):
            return  # back to waiting at once, without a word: nobody is woken
        if request.intent == "checkin":
            self.checkin()
        elif request.intent == "relief":
            self.relief()
        elif request.intent == "last_summary":
            last = self.journal.last_summary(self._listener)
            if last is None:
                self._say(self._line("no_summary"))
            else:
                self._say(f"{self._line('last_summary_lead')} {last}")
        elif request.intent == "week":
            self._say(week_in_words(self.journal, self._listener, self.clock.now().date()))
        else:
            self._say(self._line("other"))

    def remind(self) -> None:
        """The bedtime reminder: asked once; no, silence or anything else means no."""
        if self.reminder is not None:
            self.reminder.done(self.clock.now())
        self._say(self._line("reminder"), then_listen=True)
        answer = self._reply()
        if answer == "yes":
            self.checkin()
        elif answer == "no":
            self._say(self._line("reminder_declined"))

    def checkin(self) -> None:
        """The full check-in, kept in the journal however it ends. A signal (the service
        stopping) ends it as a spoken stop would: what was answered is summarised and kept."""
        started = self.clock.now()
        if self.reminder is not None:
            self.reminder.done(started)
        dialog = self._dialog(started)
        try:
            self.run_checkin(dialog)
        except BaseException:
            if not dialog.done:
                for line in dialog.end_of_input().lines:
                    log.info("check-in cut short: %s", line)
            self.journal.keep_checkin(dialog, started=started, finished=False)
            raise
        finished = dialog.done and not dialog.stopped_early
        self.journal.keep_checkin(dialog, started=started, finished=finished)

    def _dialog(self, started: datetime) -> Dialog:
        """Tonight's check-in; with the night journal, it knows the week's earlier nights."""
        from ..journal import Journal
        from ..journal.checkin import dialog_with_history

        if isinstance(self.journal, Journal):
            try:
                return dialog_with_history(self.journal, self.content.content,
                                           self.settings.person, started)
            except VoiceskillError as problem:
                log.warning("the week's history cannot be read (%s)", problem)
        return Dialog(self.content.content, self.settings.person)

    def _change_voice(self, control: str) -> None:
        """"slower", "louder" ... as in the check-in: the voice changes and says so, or says
        it is already at that end. A mouth whose voice cannot change says the line only.
        The service's mouth keeps the new voice for later nights (``NightVoice``)."""
        words = Wording(self.content.content, self.settings.person)
        voice = getattr(self.mouth, "voice", None)
        if voice is None:
            self._say(words.say(control))
            return
        adjusted = getattr(voice, control)()
        if not adjusted.changed:
            self._say(words.say(_LIMITS[control]))
            return
        self.mouth.voice = adjusted.voice  # type: ignore[attr-defined]
        log.info("voice now %s words a minute, volume %.1f", adjusted.voice.rate,
                 adjusted.voice.volume)
        self._say(words.say(control))

    def relief(self) -> None:
        """The relief routine: one step at a time; "next" or silence moves on, "again"
        repeats, a stop ends it at once; then an offer to note the episode."""
        started = self.clock.now()
        person = self.settings.person
        answers = self.journal.last_answers(self._listener)
        plan = relief.plan(self.content.content, self.content.relief_steps, answers, person)
        intro = self._line("relief_intro")
        if not plan.known:
            intro = f"{intro} {self._line('relief_unknown')}"
        self._say(intro)
        i, heard = 0, 0
        while i < len(plan.steps):
            self._say(plan.steps[i], then_listen=True)
            heard = max(heard, i + 1)
            answer = self._reply(STEP_WAIT)
            if answer == "stop":
                return
            if answer in VOICE_CONTROLS:
                self._change_voice(answer)  # then the same step again, in the new voice
            elif answer != "again":
                i += 1
        self._say(f"{self._line('relief_end')} {self._line('offer_note')}", then_listen=True)
        if self._reply() == "yes":
            self.journal.add_relief(self._listener, started, heard, finished=True)
            self._say(self._line("noted"))
        else:
            self._say(self._line("not_noted"))
