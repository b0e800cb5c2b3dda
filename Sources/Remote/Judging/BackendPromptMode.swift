/// How a judging request reaches a remote server (`--backend-prompt`).
public enum BackendPromptMode: String, Sendable, Hashable, CaseIterable {
    /// The request's own messages, history plus `response_1`/`response_2` roles, to
    /// `/v1/chat/completions`, exactly as the model card sends them: the GenRM's chat template
    /// builds the prompt (vLLM with the GenRM, or `genrm serve`).
    case roles
    /// The judging prompt as a system + user message pair (`genrm prompt --json`), for chat
    /// models whose template does not know the GenRM roles.
    case messages
    /// The judging prompt rendered in Llama 3 format (the bytes `genrm prompt` prints) to
    /// `/v1/completions`, for servers and proxies that refuse unknown roles (LiteLLM does).
    case text
}
