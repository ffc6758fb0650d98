"""Signals other apps listen to, so accounts needs to know nothing about them."""

from django.dispatch import Signal

# Sent with ``user`` after someone creates an account through the sign-up page.
user_signed_up = Signal()
