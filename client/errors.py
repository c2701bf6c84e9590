"""Every way pricing a laptop can fail, as one exception tree.

Each failure of the input, the network, the API or the configuration ends as one
of these classes. ``user_message`` is a short pt-BR sentence a clerk can act on;
``detail`` is for engineers (HTTP status, API message, exception type);
``next_step`` tells the clerk what to do about it;
``request_id`` is API Gateway's ``x-amzn-RequestId`` when one was sent. None of
them ever contains the API key: the client never puts it there, and ``detail``
is built from the response, not from the request.

    PricingError
    ├── InvalidLaptopError      the laptop's fields are wrong (also a ValueError)
    ├── ConfigurationError      a setting is missing or malformed
    ├── RequestRejectedError    another 4xx: 400 without field errors, 413, 415
    ├── AuthenticationError     403 Forbidden: missing, wrong or disabled key
    ├── EndpointNotFoundError   403 Missing Authentication Token, 404
    ├── RateLimitedError        429 Too Many Requests (retried with backoff)
    ├── QuotaExceededError      429 Limit Exceeded: the usage plan is used up
    ├── ServerError             5xx, a Lambda errorMessage in a 200, inner statusCode != 200
    ├── ApiTimeoutError         no answer in time, or 504 from the gateway
    ├── ConnectionFailedError   DNS, connection refused, TLS
    └── InvalidResponseError    not JSON, no prediction, prediction not a finite number >= 0
"""

from __future__ import annotations

from collections.abc import Mapping


class PricingError(Exception):
    """Base class: a failure with a pt-BR message for the clerk and detail for support."""

    user_message = "Não foi possível estimar o preço."
    next_step = "Tente novamente. Se o problema continuar, fale com o suporte."

    def __init__(
        self,
        user_message: str | None = None,
        *,
        detail: str = "",
        request_id: str | None = None,
        status: int | None = None,
    ) -> None:
        if user_message is not None:
            self.user_message = user_message
        self.detail = detail
        self.request_id = request_id
        self.status = status
        super().__init__(self.user_message)

    def __str__(self) -> str:
        return f"{self.user_message} ({self.detail})" if self.detail else self.user_message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, request_id={self.request_id!r}, detail={self.detail!r})"


class InvalidLaptopError(PricingError, ValueError):
    """The laptop's fields break the contract; ``problems`` maps each field to its pt-BR reason."""

    next_step = "Corrija os campos indicados e tente de novo."

    def __init__(self, problems: Mapping[str, str], **kwargs) -> None:
        self.problems = dict(problems)
        lines = "; ".join(f"{field}: {reason}" for field, reason in self.problems.items())
        super().__init__(f"Dados do notebook inválidos: {lines}", **kwargs)


class ConfigurationError(PricingError):
    """A setting is missing or malformed; ``key`` names it."""

    next_step = (
        "Corrija o valor nos segredos do app (Settings → Secrets no Streamlit Cloud, "
        "ou .streamlit/secrets.toml) e recarregue a página."
    )

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        super().__init__(f"Configuração inválida em {key}: {reason}", detail=f"setting {key}")


class RequestRejectedError(PricingError):
    next_step = "Avise o suporte: o aplicativo e a API não estão de acordo sobre o formato do pedido."
    user_message = "A API recusou a requisição enviada pelo aplicativo."


class AuthenticationError(PricingError):
    next_step = (
        "Confira o valor de API_KEY nos segredos do app (Settings → Secrets no Streamlit Cloud, "
        "ou .streamlit/secrets.toml)."
    )
    user_message = "A API recusou a chave de acesso (API_KEY)."


class EndpointNotFoundError(PricingError):
    next_step = "Confira API_ENDPOINT nos segredos do app: deve ser o endereço completo, terminando em /prod/predict."
    user_message = "O endereço da API não foi encontrado (API_ENDPOINT)."


class RateLimitedError(PricingError):
    next_step = "Aguarde alguns segundos e tente novamente."
    user_message = "A API está recebendo muitas requisições agora."


class QuotaExceededError(PricingError):
    next_step = (
        "Fale com o responsável pela API para ampliar a cota do plano de uso; até lá, nenhum preço pode ser estimado."
    )
    user_message = "A cota de uso da API acabou."


class ServerError(PricingError):
    next_step = "Tente novamente em instantes. Se continuar, envie ao suporte o código da requisição abaixo."
    user_message = "A API de preços falhou ao processar o pedido."


class ApiTimeoutError(PricingError):
    next_step = "Tente novamente: a primeira chamada depois de um tempo parada pode demorar mais (partida a frio)."
    user_message = "A API de preços demorou demais para responder."


class ConnectionFailedError(PricingError):
    next_step = "Verifique a conexão com a internet e o endereço em API_ENDPOINT, e tente novamente."
    user_message = "Não foi possível conectar à API de preços."


class InvalidResponseError(PricingError):
    next_step = "Tente novamente. Se continuar, envie ao suporte o código da requisição abaixo."
    user_message = "A API respondeu em um formato inesperado."
