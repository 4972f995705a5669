"""The Telegram channel: python-telegram-bot in front of our token-protected Rasa channel.

`drogowskaz telegram` runs it (long polling, or a webhook when TELEGRAM_WEBHOOK_URL is
set); `make run` starts it as a fourth service when TELEGRAM_TOKEN is set.
"""

import os

# Durations from python-telegram-bot as `timedelta` (its next major version's behaviour;
# channel.with_retries handles both), which also silences the v22 deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")
