"""The Telegram channel: python-telegram-bot in front of our token-protected Rasa channel.

`drogowskaz telegram` runs it (long polling, or a webhook when TELEGRAM_WEBHOOK_URL is
set); `make run` starts it as a fourth service when TELEGRAM_TOKEN is set.
"""
