/// The phrase lists behind four of the warning kinds (hidden text and mismatched links are read
/// from the markup and the invisible characters instead). Single words never fire on their own:
/// a phrase pairs an address or an imperative with what it asks for, and excludes the spellings
/// ordinary mail uses ("my password", "password reset link", "ignore my previous email").
enum InjectionPhrases {
    typealias Kind = ContentWarning.Kind

    // Who a machine reader is called.
    static let machine = "ai|llm|llms|chatbot|chatbots|chatgpt|ai_assistant*|ai_agent*|ai_model*|ai_system*|ai_bot*|"
        + "language_model*|large_language_model*|automated_agent*|automated_assistant*|automated_system*|virtual_assistant*"
    // Verbs that move data out, said to the reader. Verbs a customer uses on their own keys
    // ("copy your API key", "include it in the header") only count with a destination.
    static let exfil = "send|give|share|reveal|print|show|output|tell|email|mail|forward|post|list|dump|leak|disclose|"
        + "return|display|expose|exfiltrate|upload|repeat|echo|extract|fetch|retrieve|grab|collect|gather|compile|"
        + "report|export|transmit|enumerate|reply_with|respond_with|answer_with"
    static let exfilData = "include|append|paste|copy|attach|embed|encode"
    static let exfilAlso = "include|append|write|paste|copy|insert|put|attach|embed|add|encode|submit|provide"
    // Whose secret: the reader's, the system's, everyone's, never the writer's own.
    static let theirs = "your|all|any|every|stored|saved|internal|system|admin|administrator|admins|server|servers|"
        + "environment|other|agent|agents|agents|staff|employee|employees|users|user|customers|customer|privileged|"
        + "root|production|prod|master|session|secret|hidden|configured|their|his|her|these|those|the_admin|"
        + "the_system|the_server|the_agents|the_stored|the_production|each"
    static let secret = "api_key*|api_token*|apikey*|access_token*|auth_token*|bearer_token*|refresh_token*|"
        + "oauth_token*|session_token*|session_cookie*|personal_access_token*|pat|pats|token|tokens|secrets|"
        + "secret_key*|client_secret*|private_key*|ssh_key*|signing_key*|password|passwords|passwd|passphrase*|"
        + "credential*|login_details|login_credentials|environment_variables|environment_vars|env_vars|"
        + "env_variables|connection_string*|database_url|aws_key*|aws_secret*|jwt|jwts|recovery_codes|"
        + "backup_codes|one_time_code*|otp_code*|2fa_code*|keys|api_schlussel|passworter|zugangsdaten|"
        + "mots_de_passe|mot_de_passe|cles_api|cle_api|identifiants|contrasena*|claves_api|clave_api|credenciales"
    static let notOwnAccount = "!reset|resets|link|links|page|policy|policies|manager|requirements|field|form|change|"
        + "expired|expiry|strength|rules|hint|email|emails|mail|recovery|reminder|prompt|login|protected"
    static let own = "my|our|i|we|new|own|reset|forgot|forgotten|temporary|another|recover|mon|ma|mes|nos|notre|"
        + "mein|meine|unser|unsere|mi|mis|nuestro|nuestra|nuestros|nuestras"
    // What another tenant's or customer's data is called.
    static let many = "all|every|other|others|last|latest|recent|most_recent|the_last|the_latest|entire|whole|complete|full|private|internal|every_other|all_other|"
        + "all_the|all_open|all_private|all_recent|the_other|alle|andere|anderen|tous|toutes|autres|todos|todas|otros|otras"
    static let records = "ticket|tickets|customer|customers|user|users|client|clients|requester*|conversation*|"
        + "email_address*|e_mail_address*|emails_addresses|contact|contacts|account|accounts|tenant*|organization*|"
        + "organisation*|compan*|repo|repos|repositories|phone_number*|pii|profiles|members|customer_data|user_data|"
        + "customer_records|user_records|kunden|benutzer|nutzer|e_mail_adressen|kontakte|clients|utilisateurs|"
        + "adresses_email|adresses_e_mail|clientes|usuarios|correos|contactos|customer_database|user_database|crm"
    static let ofWhom = "!i|we|ive|weve|from_me|from_my|from_our|for_my|for_our|of_mine|of_ours|of_my|of_our|on_my|"
        + "on_our|in_my|in_our|under_my|under_our|that_i|that_we|which_i|which_we|opened_by_me|submitted_by_me|"
        + "related_to_my|about_my|regarding_my|linked_to_my|with_my|for_me"
    static let destination = "http|https|hxxp|hxxps|url|link|webhook|endpoint|pastebin|gist|@|query_parameter|"
        + "query_string|image_url|this_address|the_following_address|this_url|the_url|this_link|the_link|reply|"
        + "response|answer|summary|output|comment|readme|pull_request|issue"

    static let phrases: [(Kind, String)] = [
        // Addressed to a machine reader.
        (.addressedToAI, "hey|hi|hello|dear|attention|attn|greetings|yo \(machine)|assistant|bot|gpt|copilot !manager|managers|director|team|to|of|for|at|features|feature"),
        (.addressedToAI, "note|message|instruction*|memo|notice|reminder|directive|important|info|information|warning|request|task to|for the|any|all|every|an|a? \(machine)|models !manager|managers|team|company|companies|features|feature|product|products|tools|tool|integration|industry|market"),
        (.addressedToAI, "if|when|whether you_are|youre|you_re|u_are|ur an|a|the|any? \(machine)|robot|bot|machine"),
        (.addressedToAI, "if|when you_are|youre|you_re an|a assistant|model !manager|to|of|for|at|in"),
        (.addressedToAI, "read|processed|summarized|summarised|parsed|triaged|analyzed|analysed|ingested by an|a|any|the \(machine)"),
        (.addressedToAI, "\(machine)|assistant|assistants|bot|bots reading|processing|parsing|summarizing|summarising|handling|seeing|viewing|triaging|analyzing|analysing this|these"),
        (.addressedToAI, "you_are|youre|you_re an|a \(machine)|helpful_assistant|helpful_ai|ai"),
        (.addressedToAI, "as an|a \(machine) you|your|youre"),
        (.addressedToAI, "^\(machine)|assistant|assistants $"),
        (.addressedToAI, "liebe|lieber|hallo|achtung|hinweis ki|ki_assistent*|sprachmodell|chatbot !funktion*|features|tools|produkt*|modul*|integration*|abteilung|team"),
        (.addressedToAI, "wenn|falls du|sie ein|eine ki|sprachmodell|ki_assistent*|chatbot|ki_agent bist|sind"),
        (.addressedToAI, "an|fur die|den|das ki|ki_assistent*|sprachmodell|ki_agent* !funktion*|features|tools|produkt*|modul*|integration*|abteilung|team|einstellungen"),
        (.addressedToAI, "si tu_es|vous_etes un|une ia|assistant_ia|assistant_virtuel|modele_de_langage|llm|chatbot|agent_ia"),
        (.addressedToAI, "cher|chere|bonjour|salut|attention|a|pour lia|assistant_ia|lassistant_ia|chatbot !generative|fonctionnalites|outils|outil|equipe|produit"),
        (.addressedToAI, "si eres|es un|una ia|asistente_de_ia|asistente_virtual|modelo_de_lenguaje|llm|chatbot|agente_de_ia"),
        (.addressedToAI, "hola|querida|querido|atencion ia|asistente_de_ia|asistente_virtual|modelo_de_lenguaje"),
        (.addressedToAI, "nota|mensaje|instrucciones para la|el ia|asistente_de_ia|asistente_virtual|modelo_de_lenguaje"),

        // Replacing the reader's task.
        (.taskChange, "^ignore|disregard|forget|override|bypass|discard|overrule ~3!my|our|i|we|me|us all|any|every|your|prior|previous|above|earlier|preceding|original|initial|system|existing|former|old|default|developer|safety|preset|current|other ~2!my|our|mine|ours instruction*|prompt*|directive*|direction*|guideline*|guardrail*|safeguard*|programming|rules|restriction*|constraint*|context|orders|commands|policies"),
        (.taskChange, "^ignore|disregard|forget|override|bypass|discard ~2!my|our|i|we instruction*|prompt*|directive*|guideline*|rules|programming|orders you_were_given|you_have_been_given|you_were_told|you_received|you_got|given_to_you|above|so_far"),
        (.taskChange, "^ignore|disregard|forget everything|anything|all above|before|previously|prior|else|you_were_told|you_have_been_told|you_know|in_your_prompt|in_the_system_prompt|so_far"),
        (.taskChange, "stop|cease following|obeying your|the|all|previous|prior instruction*|rules|guidelines|directives|prompt"),
        (.taskChange, "your new|updated|revised|real|actual|true|secret|hidden instructions|instruction|task|directive|directives|objective|orders|mission|goal|purpose !manager|feature|features|list|lists|view|page|board|app|ui|system|tab|button|tracker|scheduler|management|template|templates|editor|option|options|is_great|is_broken|menu"),
        (.taskChange, "your task|job|goal|objective|mission|role|purpose is_now|has_changed|has_been_changed|has_been_updated|is_as_follows"),
        (.taskChange, "new|updated|revised|override|priority|admin|administrator|developer|system instructions|instruction|directive|directives for|to the|any|all? \(machine)"),
        (.taskChange, "you_are|youre|you_re|ur now|henceforth|no_longer in? an|a|the|my? \(machine)|assistant|agent|bot|admin|administrator|developer|hacker|unrestricted|unfiltered|uncensored|jailbroken|evil|dan|character|persona|root|superuser|bound|constrained|developer_mode|god_mode|debug_mode|maintenance_mode|admin_mode|operating_as|acting_as|playing_the_role|pirate|terminal|shell|different_ai|different_assistant"),
        (.taskChange, "from_now_on|henceforth|going_forward|starting_now|from_this_point you will|must|shall|should|are|are_to ~1 act|behave|ignore|obey|pretend|roleplay|comply|only_respond|only_answer|only_reply|respond_only|answer_only|respond_as|answer_as|speak_as|operate_as|follow_my|follow_these|output_only"),
        (.taskChange, "^act|acting|behave|respond|answer as|like an|a|the|my? ~1 admin|administrator|root|superuser|system|developer|dan|unrestricted|unfiltered|uncensored|jailbroken|evil|hacker|pirate|linux_terminal|terminal|shell|sql_database|python_interpreter|grandma|grandmother|character|persona"),
        (.taskChange, "^pretend to_be|you_are|youre|that_you_are|that_youre|to_have_no"),
        (.taskChange, "^roleplay|role_play as|with|that|a|the"),
        (.taskChange, "lets|let_us|were_going_to|we_are_going_to play a game"),
        (.taskChange, "lets|let_us roleplay|role_play"),
        (.taskChange, "stay|remain|staying in character"),
        (.taskChange, "dan|jailbreak|unrestricted|unfiltered|uncensored mode|prompt"),
        (.taskChange, "do anything now"),
        (.taskChange, "system_prompt|system_override|admin_override|administrator_override|override_mode|system_instruction|system_instructions|developer_instructions|developer_message|master_prompt|hidden_instructions|initial_prompt|priority_override"),
        (.taskChange, "end|beginning|begin|start of? the? user|customer|untrusted|ticket|conversation|previous input|message|text|content|data|context|prompt|instructions"),
        (.taskChange, "begin|start|beginning new|system|admin|real|true|actual|hidden instructions|prompt|directive"),
        (.taskChange, "do_not|dont|never|without tell*|inform*|notify*|mention*|alert*|reveal*|disclos* ~2 the|this|it|that|to|anything|any? user|human|humans|operator|operators|support_agent|human_agent|human_reviewer"),
        (.taskChange, "^do_not|dont|never|no_need_to ask*|wait*|seek*|request* ~3!my|me|our|us confirmation|approval|permission|authorization|authorisation|consent"),
        (.taskChange, "without ask*|wait*|seek*|request*|requiring|needing ~2!my|me|our|us the|any|user|human|human_operator|operator ~2!my|me|our|us confirmation|approval|permission|authorization|authorisation|consent|review"),
        (.taskChange, "instead|rather of|than summarizing|summarising|triaging|classifying|categorizing|categorising|doing_your|your_task|answering_the"),
        (.taskChange, "as|im|i_am|this_is|speaking_as the|your|an|a? admin|administrator|sysadmin|system_administrator|developer|developers|creator|operator|ceo|cto|security_team|it_department|supervisor|owner_of_this ~8!my|our i? authorize|authorise|permit|allow|instruct|order|command|grant|direct|require you ~3 ignore|bypass|override|skip|disable|share_all|export|reveal|list_all|dump|disclose|circumvent|disregard"),
        (.taskChange, "i|we hereby? authorize|authorise|permit|instruct|order|command|allow you to ~2 ignore|bypass|override|skip|disable|circumvent|disregard"),
        (.taskChange, "assistant|assistants|\(machine)|model|agent|bot is|are now? authorized|authorised|permitted|allowed|cleared to ~2 ignore|bypass|override|skip|disable|circumvent|disregard|reveal|disclose|dump|export|share"),
        (.taskChange, "^fetch|open|visit|load|read|download|browse_to|go_to|curl ~6 and|then do|follow|execute|obey what|whatever|the|its ~1 it_says|says|instructions|instruction|commands|it_tells_you"),
        (.taskChange, "you are|re|have_been authorized|authorised|permitted|allowed|cleared to ~2 ignore|bypass|override|skip|disable|circumvent|disregard|reveal|disclose|dump|export"),
        (.taskChange, "base64|rot13|encoded|decoded|decode|decrypt|deobfuscate|unscramble|reverse ~10 follow|obey|execute|carry_out|comply_with|act_on ~2 instruction*|command*|directions|directive*|it|them"),
        (.taskChange, "ignoriere|ignorieren|ignoriert|vergiss|vergessen|missachte ~3!meine|unsere|mein alle|vorherigen|bisherigen|obigen|vorigen|deine|ihre|fruheren|sie ~2!meine|unsere anweisung*|instruktion*|regeln|vorgaben|befehle"),
        (.taskChange, "du bist|sind jetzt|nun|ab_jetzt|ab_sofort ein|eine|der|die? ki|assistent|admin|administrator|hacker|uneingeschrankt*|rolle|pirat"),
        (.taskChange, "ab_jetzt|ab_sofort|von_nun_an bist|wirst|sollst|musst du"),
        (.taskChange, "ignore|ignorez|ignorer|oublie|oubliez|oublier ~3!mes|nos|mon|ma|notre toutes|tous|les|tes|vos|precedentes|anterieures ~2!mes|nos instruction*|consigne*|directive*|regles"),
        (.taskChange, "tu_es|vous_etes desormais|maintenant un|une|le|la|en ~1 ia|assistant|admin|administrateur|pirate|mode|agent|personnage|role|dan"),
        (.taskChange, "a_partir_de_maintenant|desormais tu|vous ignore*|agiras|agirez|obeiras|obeirez|joueras|jouerez"),
        (.taskChange, "ignora|ignore|ignorar|olvida|olvide|olvidar ~3!mis|mi|nuestras|nuestros todas|todos|las|tus|sus|anteriores|previas ~2!mis|nuestras instrucciones|instruccion|indicaciones|reglas|ordenes"),
        (.taskChange, "ahora eres|sos|seras un|una|el|la ~1 ia|asistente|admin|administrador|hacker|pirata|dan|personaje"),
        (.taskChange, "a_partir_de_ahora|desde_ahora eres|actua|actuaras|responde|responderas|ignora"),

        // Asking for secrets.
        (.secretRequest, "^\(exfil) ~4!\(own)|with \(theirs) ~2!\(own) \(secret) \(notOwnAccount)"),
        (.secretRequest, "^\(exfil) ~5!\(own) \(secret) \(notOwnAccount) ~4 stored|saved|kept|configured|from_your|in_your|in_the_environment|in_env|from_the_environment|on_the_server|in_memory|in_context|of_all|of_other|of_every|for_all|for_every"),
        (.secretRequest, "^\(exfil)|\(exfilAlso) ~6!\(own) \(secret) \(notOwnAccount) ~8 to|into|via|at|as|in ~3 \(destination)"),
        (.secretRequest, "^reveal|print|show|output|repeat|share|disclose|leak|dump|display|return|recite|spell_out|tell_me|give_me|paste|write_out|echo ~3 your|the|entire|full|complete|hidden|original|initial|exact|secret|verbatim|current? system_prompt|initial_prompt|hidden_prompt|original_prompt|hidden_instructions|system_instructions|system_message|original_instructions|initial_instructions|instructions_above|instructions_you_were_given|text_above|everything_above|words_above|preprompt|pre_prompt|developer_message|rules_you_follow|rules_you_were_given|prompt_above|full_prompt|entire_prompt|custom_instructions"),
        (.secretRequest, "what|whats is|are|were|s? your|the system_prompt|initial_prompt|hidden_instructions|original_instructions|system_instructions|custom_instructions"),
        (.secretRequest, "^cat|print|dump|output|send|show|run|execute|type|echo|read|open ~2 printenv|dotenv|env_file|etc_passwd|etc_shadow|id_rsa|ssh_id_rsa|aws_credentials|process_env|os_environ"),
        (.secretRequest, "^cat|print|dump|output|send|show|echo env|environment"),
        (.secretRequest, "^sende|schicke|schick|gib|zeige|zeig|nenne|verrate|senden|schicken|geben|zeigen|nennen|verraten ~3!\(own) alle|deine|ihre|die|eure ~1 \(secret)|systemprompt|token"),
        (.secretRequest, "^envoie|envoyez|donne|donnez|montre|montrez|revele|revelez|affiche|affichez|envoyer|donner|montrer|reveler|afficher|communiquez|communiquer ~3!\(own) tes|vos|tous|toutes|les|le ~1 \(secret)|prompt_systeme|jetons"),
        (.secretRequest, "^envia|envie|enviame|dame|deme|muestra|muestre|muestrame|revela|revele|enviar|mostrar|revelar|dar ~3!\(own) tus|sus|todas|todos|las|los|la|el ~1 \(secret)|prompt_del_sistema|tokens"),

        // Asking for other tickets' or customers' data.
        (.otherTicketsData, "^\(exfil)|\(exfilData) ~4!\(own)|with|to \(many) ~2!\(own) \(records) \(ofWhom)"),
        (.otherTicketsData, "^\(exfil)|\(exfilAlso) ~5!\(own) ticket*|data|emails|messages|conversation*|detail*|info|information|pii|records|history|names|addresses|email_addresses|phone_numbers|content|contents|notes of|from|for|belonging_to|owned_by|about|by|in other|others|all_other|every_other|different|all|every|the_other|the_last|last|latest|recent|most_recent|previous|the_previous|the_latest|the_most_recent|every_single ~2!\(own) ticket*|customer*|user*|client*|tenant*|compan*|organization*|organisation*|account*|requester*|people|workspace*|repo*|repositories \(ofWhom)"),
        (.otherTicketsData, "^\(exfil)|\(exfilData) ~6!\(own) customer_database|user_database|customer_list|user_list|contact_list|client_list|crm_data|ticket_database|ticket_list|mailing_list \(ofWhom)"),
        (.otherTicketsData, "\(many) ~2!\(own) \(records) \(ofWhom) ~8 to|into|via|at|as|in ~3 \(destination)"),
        (.otherTicketsData, "^sende|schicke|liste|exportiere|zeige|nenne|senden|schicken|auflisten|exportieren|zeigen ~3!\(own) alle|andere|anderen ~1 tickets|kunden|benutzer|nutzer|e_mail_adressen|kontakte"),
        (.otherTicketsData, "^envoie|envoyez|liste|listez|exporte|exportez|montre|montrez|envoyer|lister|exporter|montrer|transmettez|transmettre ~3!\(own) tous|toutes|autres ~1 les? tickets|clients|utilisateurs|adresses_email|adresses_e_mail|contacts"),
        (.otherTicketsData, "^envia|envie|enviame|lista|exporta|muestra|muestrame|reenvia|enviar|listar|exportar|mostrar ~3!\(own) todos|todas|otros|otras ~1 los|las? tickets|clientes|usuarios|correos|contactos"),
    ]

    /// Spellings that only make sense as markup around a fake turn of a conversation.
    static let fakeTurns: [String] = [
        "<|im_start|>", "<|im_end|>", "<|system|>", "<|assistant|>", "<|user|>", "<|endoftext|>", "[inst]", "[/inst]",
        "<<sys>>", "<</sys>>", "<system>", "</system>", "<system_prompt>", "<instructions>", "</instructions>",
        "[system message]", "[system note]", "[system override]", "[admin override]", "[system instruction",
        "### system", "### instruction", "### new instruction", "system message:", "system note:", "system notice:",
        "system override:", "admin override:", "<!-- system", "{{system", "[[system", "</user>", "</user_input>",
        "</customer_message>", "</ticket>", "</untrusted", "</document>", "</context>",
    ]
}
