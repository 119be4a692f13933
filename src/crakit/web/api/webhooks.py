"""``/api/v1/webhooks``: HMAC-signed event deliveries to a tenant's own system."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from crakit.accounts import Principal
from crakit.platform import CSIRT, ENISA, MANUFACTURER, disable_webhook, list_webhooks, register_webhook
from crakit.web.auth import current_principal
from crakit.web.platform_context import require, run

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])
Caller = Annotated[Principal, Depends(current_principal)]


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=8, max_length=2000)


class WebhookOut(BaseModel):
    id: int
    url: str
    created_at: str
    secret: str | None = Field(
        None, description="Shown once, at registration: verify X-Crakit-Signature with it"
    )


class WebhookList(BaseModel):
    webhooks: list[WebhookOut]


@router.post("", status_code=201, response_model=WebhookOut, summary="Register a webhook")
def register(request: Request, body: WebhookIn, caller: Caller) -> Any:
    require(caller, MANUFACTURER, CSIRT, ENISA)
    return run(
        request,
        lambda s, k, now: register_webhook(
            s,
            k,
            caller.organisation.id,
            body.url,
            now=now,
            allow_private=request.app.state.platform_config.private_webhooks,
        ).to_json(),
    )


@router.get("", response_model=WebhookList, summary="This organisation's webhooks")
def listed(request: Request, caller: Caller) -> Any:
    require(caller, MANUFACTURER, CSIRT, ENISA)
    return {
        "webhooks": run(
            request, lambda s, k, now: [w.to_json() for w in list_webhooks(s, caller.organisation.id)]
        )
    }


@router.delete("/{webhook_id}", status_code=204, summary="Stop a webhook")
def remove(
    request: Request, webhook_id: Annotated[int, Path(ge=1, le=2**31 - 1)], caller: Caller
) -> Response:
    require(caller, MANUFACTURER, CSIRT, ENISA)
    run(request, lambda s, k, now: disable_webhook(s, caller.organisation.id, webhook_id, now=now))
    return Response(status_code=204)
