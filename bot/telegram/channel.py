"""Handlers of the Telegram channel: commands, text, locations, button presses, erasure.

Every chat's messages are handled one at a time and in order (a lock per chat). When Rasa
is down the person is told to try again shortly and the message is kept: it is retried
with backoff, and later messages of that chat queue up behind it so the order holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.db.repository import conversations, escalations
from bot.db.repository import telegram as chats
from bot.escalation_codes import format_code
from bot.nlu.crisis_patterns import crisis_phrase
from bot.settings import Settings
from bot.telegram.erase import erase_transcripts
from bot.telegram.render import OutMessage, split_text, to_out_messages
from bot.web.chat import MAX_TEXT_CHARS, clean_text
from bot.web.rasa_client import RasaClient, RasaUnavailable

log = logging.getLogger("drogowskaz.telegram")

T = TypeVar("T")

CHANNEL = "telegram"
LOCATION_BUTTON = "Wyślij lokalizację"
ERASE_YES = "tg:erase:yes"
ERASE_NO = "tg:erase:no"

TRY_LATER_TEXT = (
    "Przepraszam, chwilowo nie mogę odpowiedzieć. Spróbuj za chwilę. "
    "Twoją wiadomość zachowałem i wyślę ją ponownie sam."
)
GAVE_UP_TEXT = (
    "Nadal nie mogę odpowiedzieć. Napisz proszę jeszcze raz za kilka minut."
)
NO_ANSWER_TEXT = "Chwilowo nie mogę tego sprawdzić. Spróbuj za chwilę albo wybierz inny temat."
NOT_TEXT_TEXT = (
    "Rozumiem tylko wiadomości tekstowe i lokalizację. Napisz, czego szukasz, "
    "wybierz temat (/menu) albo wyślij lokalizację przyciskiem „Wyślij lokalizację”."
)
UNKNOWN_COMMAND_TEXT = (
    "Nie znam tej komendy. Dostępne: /start, /menu, /pomoc, /nowa, /usun_dane."
)
LOCATION_HINT_TEXT = (
    "Jeśli chcesz, wyślij swoją lokalizację przyciskiem poniżej, "
    "a pokażę najbliższe miejsca pomocy."
)
NEW_CONVERSATION_TEXT = "Zaczynamy od nowa."
ERASE_QUESTION_TEXT = (
    "Czy na pewno usunąć wszystko, co zapisałem o tej rozmowie? "
    "Tego nie da się cofnąć."
)
ERASED_TEXT = "Gotowe: usunąłem wszystkie zapisane dane tej rozmowy. Możesz zacząć od nowa: /start"
ERASE_CANCELLED_TEXT = "Dobrze, niczego nie usuwam."
ERASE_FAILED_TEXT = "Nie udało się usunąć danych. Spróbuj za chwilę: /usun_dane"
ERROR_TEXT = "Coś poszło nie tak po mojej stronie. Spróbuj za chwilę."
ATTACHED_TEXT = (
    "Dopisałem to do Twojej sprawy {code}. Pracownik zobaczy tę wiadomość. "
    "Odpowiedź przyjdzie tutaj."
)
STAFF_REPLY_TEXT = "Odpowiedź pracownika (sprawa {code}):\n\n{text}"
REPLY_POLL_SECONDS = 2.0

COMMANDS = [
    BotCommand("start", "Powitanie i tematy"),
    BotCommand("menu", "Tematy, w których mogę pomóc"),
    BotCommand("pomoc", "Co potrafię"),
    BotCommand("nowa", "Zacznij rozmowę od nowa"),
    BotCommand("usun_dane", "Usuń wszystko, co o mnie zapisano"),
]

DEFAULT_RETRY_DELAYS: tuple[float, ...] = (3, 6, 12, 24, 48, 60, 60, 60, 60, 60)
API_ATTEMPTS = 4


def location_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton(LOCATION_BUTTON, request_location=True)]],
        resize_keyboard=True,
        is_persistent=True,
    )


async def with_retries(call: Callable[[], Awaitable[T]], attempts: int = API_ATTEMPTS,
                       first_delay: float = 1.0) -> T:
    """Run one Bot API call, retrying flood control, time-outs and network errors."""
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except BadRequest:
            raise  # our request is wrong: repeating it will not help
        except RetryAfter as exc:
            wait = exc.retry_after
            pause = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            if attempt == attempts:
                raise
            log.warning("Telegram flood control: waiting %.1f s", pause)
        except (TimedOut, NetworkError) as exc:
            if attempt == attempts:
                raise
            pause = delay
            delay *= 2
            log.warning("Telegram API error (%s), retrying in %.1f s", exc, pause)
        await asyncio.sleep(pause)
    raise AssertionError("unreachable")


@dataclass
class Pending:
    message: str
    metadata: dict[str, Any] = field(default_factory=dict)


class TelegramChannel:
    """The channel's state (Rasa client, per-chat locks and waiting messages) and handlers."""

    def __init__(
        self,
        settings: Settings,
        rasa: RasaClient | None = None,
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
    ) -> None:
        self.settings = settings
        self.rasa = rasa or RasaClient(settings.rasa_urls, settings.rasa_token,
                                       settings.rasa_timeout)
        self.retry_delays = tuple(retry_delays)
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.pending: defaultdict[int, deque[Pending]] = defaultdict(deque)
        self._retries: dict[int, asyncio.Task[None]] = {}
        self._pressed: deque[tuple[int, int]] = deque(maxlen=10_000)
        self._delivery: asyncio.Task[None] | None = None

    # ------------------------------------------------------------ application

    def build_application(self) -> Application[Any, Any, Any, Any, Any, Any]:
        settings = self.settings
        application = (
            ApplicationBuilder()
            .token(settings.telegram_token)
            .base_url(settings.telegram_api_base_url)
            .concurrent_updates(True)  # order within a chat is kept by the per-chat lock
            .connect_timeout(10)
            .read_timeout(20)
            .write_timeout(20)
            .build()
        )
        application.add_handler(CommandHandler("start", self.on_start))
        application.add_handler(CommandHandler(["menu", "pomoc"], self.on_menu))
        application.add_handler(CommandHandler("nowa", self.on_new))
        application.add_handler(CommandHandler("usun_dane", self.on_erase_request))
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(MessageHandler(filters.LOCATION, self.on_location))
        application.add_handler(MessageHandler(filters.COMMAND, self.on_unknown_command))
        application.add_handler(MessageHandler(filters.TEXT, self.on_text))
        application.add_handler(
            MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, self.on_other)
        )
        application.add_error_handler(self.on_error)
        return application

    async def set_commands(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        try:
            await with_retries(lambda: application.bot.set_my_commands(COMMANDS))
        except Exception:  # the menu of commands is a convenience only
            log.warning("could not set the bot's command list", exc_info=True)

    def start_delivery(self, application: Application[Any, Any, Any, Any, Any, Any],
                       every: float = REPLY_POLL_SECONDS) -> None:
        """Deliver staff replies to their chats, checking the database every few seconds."""
        if self._delivery is None or self._delivery.done():
            self._delivery = asyncio.create_task(self._deliver_replies(application, every))

    async def _deliver_replies(self, application: Application[Any, Any, Any, Any, Any, Any],
                               every: float) -> None:
        while True:
            try:
                await self.deliver_staff_replies(application)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("delivering staff replies failed; will retry", exc_info=True)
            await asyncio.sleep(every)

    async def deliver_staff_replies(
        self, application: Application[Any, Any, Any, Any, Any, Any]
    ) -> int:
        """Send every undelivered staff reply; each is marked delivered only once sent."""
        sent = 0
        for reply in await asyncio.to_thread(escalations.undelivered_replies, CHANNEL):
            chat_id = chats.chat_of_session(reply.session_id)
            if chat_id is None:
                continue
            text = STAFF_REPLY_TEXT.format(code=format_code(reply.code), text=reply.text)
            async with self._locks[chat_id]:
                for part in split_text(text):
                    await with_retries(partial(application.bot.send_message, chat_id, part))
            await asyncio.to_thread(escalations.mark_delivered, reply.message_id)
            sent += 1
        return sent

    async def aclose(self) -> None:
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
            self._delivery = None
        for task in self._retries.values():
            task.cancel()
        self._retries.clear()
        await self.rasa.aclose()

    # ------------------------------------------------------------ handlers

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = _chat_id(update)
        await self.send(context, chat_id, LOCATION_HINT_TEXT, location_keyboard())
        await self.deliver(context, chat_id, Pending("/greet"))

    async def on_menu(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.deliver(context, _chat_id(update), Pending("/ask_capabilities"))

    async def on_new(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = _chat_id(update)
        async with self._locks[chat_id]:
            self.pending.pop(chat_id, None)
            await asyncio.to_thread(chats.start_new_conversation, chat_id)
        await self.send(context, chat_id, NEW_CONVERSATION_TEXT, location_keyboard())
        await self.deliver(context, chat_id, Pending("/greet"))

    async def on_erase_request(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = InlineKeyboardMarkup([[
            InlineKeyboardButton("Tak, usuń", callback_data=ERASE_YES),
            InlineKeyboardButton("Nie", callback_data=ERASE_NO),
        ]])
        await self.send(context, _chat_id(update), ERASE_QUESTION_TEXT, keyboard)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        await with_retries(query.answer)
        message = query.message
        chat_id = message.chat.id if message is not None else None
        if message is None or chat_id is None:
            return
        key = (chat_id, message.message_id)
        if key in self._pressed:
            return  # a second press of a keyboard already used
        self._pressed.append(key)
        try:
            await with_retries(lambda: query.edit_message_reply_markup(reply_markup=None))
        except BadRequest as exc:  # e.g. the keyboard was already removed
            log.info("could not remove a keyboard: %s", exc)
        data = query.data or ""
        if data == ERASE_YES:
            await self.erase(context, chat_id)
        elif data == ERASE_NO:
            await self.send(context, chat_id, ERASE_CANCELLED_TEXT)
        elif data.startswith("/"):
            await self.deliver(context, chat_id, Pending(data))

    async def on_location(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.location is None:
            return
        location = {"latitude": message.location.latitude,
                    "longitude": message.location.longitude}
        await self.deliver(context, _chat_id(update),
                           Pending("/inform_city", {"location": location}))

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        text = clean_text(message.text or "") if message is not None else ""
        if not text:
            await self.on_other(update, context)
            return
        await self.deliver(context, _chat_id(update), Pending(text[:MAX_TEXT_CHARS]))

    async def on_unknown_command(self, update: Update,
                                 context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.send(context, _chat_id(update), UNKNOWN_COMMAND_TEXT)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat is None:
            return
        await self.send(context, update.effective_chat.id, NOT_TEXT_TEXT, location_keyboard())

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling an update", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await self.send(context, update.effective_chat.id, ERROR_TEXT)
            except Exception:
                log.warning("could not tell the person about the error", exc_info=True)

    # ------------------------------------------------------------ conversation

    async def sender_id(self, chat_id: int) -> tuple[str, str]:
        generation = await asyncio.to_thread(chats.current_generation, chat_id)
        session_id = chats.session_id(chat_id, generation)
        return f"{CHANNEL}-{session_id}", session_id

    async def deliver(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int,
                      item: Pending) -> None:
        """Send one message to Rasa and its answer to the chat, in the chat's order."""
        async with self._locks[chat_id]:
            waiting = self.pending[chat_id]
            if waiting:  # earlier messages still wait for Rasa: keep the order
                waiting.append(item)
                return
            if await self._turn(context, chat_id, item):
                return
            waiting.append(item)
            await self.send(context, chat_id, TRY_LATER_TEXT)
            self._schedule_retry(context, chat_id)

    async def _attach_to_open_escalation(self, context: ContextTypes.DEFAULT_TYPE,
                                         chat_id: int, session_id: str, item: Pending) -> bool:
        """While staff handle this chat's escalation, a typed message goes to them (True).

        Buttons, commands and locations still reach the assistant, and so does anything
        that sounds like a crisis: the emergency numbers must never wait for a person."""
        if item.message.startswith("/") or item.metadata:
            return False
        try:
            ticket = await asyncio.to_thread(escalations.open_escalation, CHANNEL, session_id)
            if ticket is None:
                return False
            await asyncio.to_thread(escalations.add_user_message, ticket.id, item.message)
        except Exception:  # the assistant answers instead; nothing is lost
            log.warning("could not attach a message to an escalation", exc_info=True)
            return False
        await self.send(context, chat_id, ATTACHED_TEXT.format(code=format_code(ticket.code)))
        return crisis_phrase(item.message) is None

    async def _turn(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int,
                    item: Pending) -> bool:
        """One conversation turn; False when Rasa could not answer."""
        sender, session_id = await self.sender_id(chat_id)
        if await self._attach_to_open_escalation(context, chat_id, session_id, item):
            return True
        try:
            await asyncio.to_thread(conversations.record_turn, CHANNEL, session_id)
        except Exception:  # bookkeeping must never stop a person from getting an answer
            log.warning("could not record the conversation turn", exc_info=True)
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except Exception:  # only a courtesy
            log.debug("could not send the typing action", exc_info=True)
        try:
            answer = await self.rasa.send(sender, item.message,
                                          {"channel": CHANNEL, **item.metadata})
        except RasaUnavailable as exc:
            log.warning("Rasa could not answer chat %s: %s", chat_id, exc)
            return False
        messages = to_out_messages(answer) or [OutMessage(NO_ANSWER_TEXT)]
        for message in messages:
            await self.send(context, chat_id, message.text, message.keyboard())
        return True

    def _schedule_retry(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
        task = self._retries.get(chat_id)
        if task is None or task.done():
            self._retries[chat_id] = asyncio.create_task(self._retry(context, chat_id))

    async def _retry(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
        """Send the chat's waiting messages again, with growing pauses, until Rasa answers."""
        for delay in self.retry_delays:
            await asyncio.sleep(delay)
            async with self._locks[chat_id]:
                waiting = self.pending[chat_id]
                while waiting:
                    if not await self._turn(context, chat_id, waiting[0]):
                        break
                    waiting.popleft()
                if not waiting:
                    self.pending.pop(chat_id, None)
                    return
        async with self._locks[chat_id]:
            dropped = len(self.pending.pop(chat_id, ()))
        log.error("gave up on %d message(s) of chat %s: Rasa did not answer", dropped, chat_id)
        await self.send(context, chat_id, GAVE_UP_TEXT)

    async def erase(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
        """Delete everything stored about this chat: app rows and Rasa's transcripts."""
        async with self._locks[chat_id]:
            self.pending.pop(chat_id, None)
            task = self._retries.pop(chat_id, None)
            if task is not None:
                task.cancel()
            try:
                senders = await asyncio.to_thread(chats.forget_chat, chat_id)
                await asyncio.to_thread(erase_transcripts, self.settings.tracker_db, senders)
            except Exception:
                log.exception("erasing chat %s failed", chat_id)
                await self.send(context, chat_id, ERASE_FAILED_TEXT)
                return
        await self.send(context, chat_id, ERASED_TEXT)

    async def send(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str,
                   markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None) -> None:
        await with_retries(
            lambda: context.bot.send_message(chat_id, text, reply_markup=markup)
        )


def _chat_id(update: Update) -> int:
    if update.effective_chat is None:
        raise ValueError("an update without a chat")
    return update.effective_chat.id
