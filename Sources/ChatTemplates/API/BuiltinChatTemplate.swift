/// Templates genrm falls back on when a model file has none. Each is golden-tested against
/// Python jinja2 (`Tests/ChatTemplatesTests/Fixtures/templates`).
public enum BuiltinChatTemplate: String, CaseIterable, Sendable {
    /// `<|im_start|>role\ncontent<|im_end|>\n` turns.
    case chatML
    /// Meta Llama 3 Instruct: headers, trimmed contents, BOS before the first turn.
    case llama3
    /// The Nemotron-Super base template the Llama-3.3-Nemotron-Super-49B GenRM was trained on
    /// (PROTOCOL.md section 2): the system turn always present, BOS once, trimmed contents,
    /// text before the last `</think>` of assistant turns dropped.
    case nemotronSuperBase
    /// Gemma 3's turns, text only: `<start_of_turn>user|model\ncontent<end_of_turn>\n`, a system
    /// message folded into the first user turn, roles alternating, BOS first.
    case gemma

    public var source: String {
        switch self {
        case .chatML:
            return #"{%- for message in messages %}{{- '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\n' }}{%- endif %}"#
        case .llama3:
            return #"{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"#
        case .gemma:
            return #"{{ bos_token }}{%- if messages[0]['role'] == 'system' -%}{%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}{%- set loop_messages = messages[1:] -%}{%- else -%}{%- set first_user_prefix = '' -%}{%- set loop_messages = messages -%}{%- endif -%}{%- for message in loop_messages -%}{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{%- endif -%}{%- if message['role'] == 'assistant' -%}{%- set role = 'model' -%}{%- else -%}{%- set role = message['role'] -%}{%- endif -%}{{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else '') + message['content'] | trim + '<end_of_turn>\n' }}{%- endfor -%}{%- if add_generation_prompt -%}{{ '<start_of_turn>model\n' }}{%- endif -%}"#
        case .nemotronSuperBase:
            // NVIDIA's copy keeps real newlines inside the Jinja string literals.
            return "{{- bos_token }}{%- if messages[0]['role'] == 'system' %}{%- set system_message = messages[0]['content']|trim %}{%- set messages = messages[1:] %}{%- else %}{%- set system_message = \"\" %}{%- endif %}{{- \"<|start_header_id|>system<|end_header_id|>\n\n\" }}{{- system_message }}{{- \"<|eot_id|>\" }}{%- for message in messages %}{%- if message['role'] == 'assistant' and '</think>' in message['content'] %}{%- set content = message['content'].split('</think>')[-1].lstrip() %}{%- else %}{%- set content = message['content'] %}{%- endif %}{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' + content | trim + '<|eot_id|>' }}{%- endfor %}{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{%- endif %}"
        }
    }

    /// The parsed template.
    public func template() throws -> ChatTemplate {
        try ChatTemplate(source: source)
    }
}
