"""The pages everyone has: `/`, sign in and out, one's account, the language, changing and
resetting a password, accepting an invitation."""

from __future__ import annotations

from fastapi import APIRouter

from factory_journey.web.pages.account import invitation_pages, password_pages, sign_in
from factory_journey.web.pages.account.sign_in import NAVIGATION

router = APIRouter()
router.include_router(sign_in.router)
router.include_router(password_pages.router)
router.include_router(invitation_pages.router)

__all__ = ["NAVIGATION", "router"]
