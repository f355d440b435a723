import Foundation
import LIMSStore

/// `lims completion bash|zsh`: shell completion generated from the command tree
/// (`LIMSMain.root`), so commands added later complete without touching this file.
enum CompletionCommands {
    /// What `lims completion values KIND` can list (the scripts call it for codes and analytes).
    static let valueKinds = ["samples", "analytes", "plots", "treatments", "sites", "templates"]

    /// The hidden command the scripts call: codes from the database, one a line; nothing (exit 0)
    /// when there is no database, so completion never prints an error into the prompt.
    static let values = CommandSpec(
        name: "values", abstract: "Print the completion values of KIND, one a line (used by the completion scripts).",
        arguments: [ArgumentSpec(name: "kind", help: "One of: " + valueKinds.joined(separator: ", ") + ".")],
        hidden: true,
        run: { invocation in
            let kind = invocation.argument(0)!
            guard valueKinds.contains(kind) else {
                let hint = Suggestions.closest(to: kind, among: valueKinds, limit: 1).first.map { " Did you mean '\($0)'?" } ?? ""
                throw invocation.usageError("The value '\(kind)' is invalid for '<kind>'; expected one of: "
                                            + valueKinds.joined(separator: ", ") + ".\(hint)")
            }
            if kind == "templates" {
                TemplateCommands.templates.forEach { invocation.console.out($0.kind) }
                invocation.console.out("import-profile")
                return ExitCode.success
            }
            guard FileManager.default.fileExists(atPath: invocation.databasePath),
                  let store = try? invocation.openStore(readOnly: true) else { return ExitCode.success }
            if kind == "analytes" {
                try Analytes.ordered(try store.knownAnalytes()).forEach { invocation.console.out($0) }
                return ExitCode.success
            }
            let table = ["samples": "sample", "plots": "plot", "treatments": "treatment", "sites": "site"][kind]!
            try store.readOnlyQuery("SELECT code FROM \(table) ORDER BY code").forEachRow { invocation.console.out($0[0].display) }
            return ExitCode.success
        })

    static var completion: CommandSpec {
        CommandSpec(
            name: "completion", abstract: "Print a tab-completion script for bash or zsh.",
            subcommands: [
                CommandSpec(name: "bash", abstract: "Completion for bash.",
                            examples: ["source <(lims completion bash)   # or save it in /etc/bash_completion.d/lims"],
                            run: { invocation in
                                invocation.console.write(CompletionScript.bash(LIMSMain.root))
                                return ExitCode.success
                            }),
                CommandSpec(name: "zsh", abstract: "Completion for zsh.",
                            examples: ["lims completion zsh > ~/.zfunc/_lims   # with fpath+=(~/.zfunc) before compinit",
                                       "source <(lims completion zsh)        # after compinit"],
                            run: { invocation in
                                invocation.console.write(CompletionScript.zsh(LIMSMain.root))
                                return ExitCode.success
                            }),
                values,
            ])
    }
}

/// The scripts. Each command path ("", "sample", "sample add" …) gets its subcommands, its
/// options, the options that take a value, and the allowed values of options with choices.
enum CompletionScript {
    struct Node {
        let path: String
        let spec: CommandSpec
    }

    static func nodes(_ root: CommandSpec) -> [Node] {
        var result: [Node] = []
        func walk(_ spec: CommandSpec, _ path: [String]) {
            result.append(Node(path: path.joined(separator: " "), spec: spec))
            for sub in spec.subcommands { walk(sub, path + [sub.name]) }
        }
        walk(root, [])
        return result.filter { node in !node.spec.hidden }
    }

    static func options(_ spec: CommandSpec) -> [OptionSpec] { spec.options + GlobalOptions.all }

    /// Options whose value is a file or folder.
    static func takesFile(_ option: OptionSpec) -> Bool {
        ["path", "file", "folder", "dir", "file.svg", "id|file"].contains(option.valueName ?? "")
    }

    /// The `lims completion values` kind an option's value comes from (codes and analytes).
    static func databaseKind(_ option: OptionSpec) -> String? {
        switch option.name {
        case "sample", "parent": return "samples"
        case "plot": return "plots"
        case "treatment": return "treatments"
        case "site": return "sites"
        case "analyte": return "analytes"
        default: return nil
        }
    }

    /// What a command's positional argument completes to: files, templates, or sample codes.
    static func argumentKind(_ node: Node) -> String? {
        guard let argument = node.spec.arguments.first else { return nil }
        if ["file", "path"].contains(argument.name) { return "file" }
        if argument.name == "kind", node.path == "template" { return "templates" }
        if argument.name == "code", node.path.hasPrefix("sample ") { return "samples" }
        return nil
    }

    /// Single-quoted for the shell.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func caseFunction(_ name: String, arguments: String, _ entries: [(key: String, value: String)]) -> String {
        var lines = ["\(name)() {", "    case \(arguments) in"]
        for entry in entries where !entry.value.isEmpty {
            lines.append("        \(quote(entry.key))) printf '%s\\n' \(entry.value) ;;")
        }
        lines += ["    esac", "}"]
        return lines.joined(separator: "\n")
    }

    static func tables(_ root: CommandSpec, described: Bool) -> String {
        let all = nodes(root)
        func describe(_ name: String, _ help: String) -> String {
            quote(described ? name + ":" + help.replacingOccurrences(of: "\n", with: " ") : name)
        }
        let subcommands = all.map { node in
            (key: node.path, value: node.spec.subcommands.filter { !$0.hidden }.map { describe($0.name, $0.abstract) }.joined(separator: " "))
        }
        let optionNames = all.map { node in
            (key: node.path, value: options(node.spec).flatMap { option -> [String] in
                var names = [describe("--" + option.name, option.help)]
                if let short = option.short { names.append(describe("-" + String(short), option.help)) }
                return names
            }.joined(separator: " "))
        }
        let valued = all.map { node in
            (key: node.path, value: options(node.spec).filter { !$0.isFlag }.flatMap { option -> [String] in
                [quote("--" + option.name)] + (option.short.map { [quote("-" + String($0))] } ?? [])
            }.joined(separator: " "))
        }
        var choices: [(key: String, value: String)] = []
        var files: [(key: String, value: String)] = []
        var fromDatabase: [(key: String, value: String)] = []
        for node in all {
            for option in options(node.spec) {
                let names = ["--" + option.name] + (option.short.map { ["-" + String($0)] } ?? [])
                for name in names {
                    if let values = option.choices {
                        choices.append((node.path + "|" + name, values.map(quote).joined(separator: " ")))
                    }
                    if takesFile(option) { files.append((node.path + "|" + name, quote("file"))) }
                    if let kind = databaseKind(option) { fromDatabase.append((node.path + "|" + name, quote(kind))) }
                }
            }
        }
        let argumentKinds = all.compactMap { node in argumentKind(node).map { (key: node.path, value: quote($0)) } }
        return [
            caseFunction("_lims_subcommands", arguments: "\"$1\"", subcommands),
            caseFunction("_lims_options", arguments: "\"$1\"", optionNames),
            caseFunction("_lims_value_options", arguments: "\"$1\"", valued),
            caseFunction("_lims_choices", arguments: "\"$1|$2\"", choices),
            caseFunction("_lims_file_options", arguments: "\"$1|$2\"", files),
            caseFunction("_lims_database_options", arguments: "\"$1|$2\"", fromDatabase),
            caseFunction("_lims_argument_kind", arguments: "\"$1\"", argumentKinds),
        ].joined(separator: "\n\n")
    }

    static func bash(_ root: CommandSpec) -> String {
        """
        # bash completion for lims (generated by `lims completion bash`; regenerate after upgrading lims)

        \(tables(root, described: false))

        _lims_contains() {
            local item
            for item in $1; do [[ "$item" == "$2" ]] && return 0; done
            return 1
        }

        _lims() {
            local cur="${COMP_WORDS[COMP_CWORD]}" prev="" cmdpath="" word i skip=0 db=()
            (( COMP_CWORD > 0 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"
            # Walk the words before the cursor: subcommand names extend the path, option values are skipped.
            for (( i = 1; i < COMP_CWORD; i++ )); do
                word="${COMP_WORDS[i]}"
                if (( skip )); then skip=0; continue; fi
                [[ "$word" == --db ]] && db=(--db "${COMP_WORDS[i+1]}")
                case "$word" in
                    --*=*) continue ;;
                    -*) _lims_contains "$(_lims_value_options "$cmdpath")" "$word" && skip=1; continue ;;
                esac
                if _lims_contains "$(_lims_subcommands "$cmdpath")" "$word"; then
                    cmdpath="${cmdpath:+$cmdpath }$word"
                fi
            done
            if [[ "$prev" == -* ]] && _lims_contains "$(_lims_value_options "$cmdpath")" "$prev"; then
                local choices
                choices="$(_lims_choices "$cmdpath" "$prev")"
                if [[ -n "$choices" ]]; then
                    COMPREPLY=( $(compgen -W "$choices" -- "$cur") )
                elif [[ -n "$(_lims_file_options "$cmdpath" "$prev")" ]]; then
                    COMPREPLY=( $(compgen -f -- "$cur") )
                elif [[ -n "$(_lims_database_options "$cmdpath" "$prev")" ]]; then
                    COMPREPLY=( $(compgen -W "$(lims "${db[@]}" completion values "$(_lims_database_options "$cmdpath" "$prev")" 2>/dev/null)" -- "$cur") )
                else
                    COMPREPLY=()
                fi
                return 0
            fi
            local argkind
            argkind="$(_lims_argument_kind "$cmdpath")"
            if [[ "$cur" == -* ]]; then
                COMPREPLY=( $(compgen -W "$(_lims_options "$cmdpath")" -- "$cur") )
            elif [[ "$argkind" == file ]]; then
                COMPREPLY=( $(compgen -f -- "$cur") )
            elif [[ -n "$argkind" ]]; then
                COMPREPLY=( $(compgen -W "$(lims "${db[@]}" completion values "$argkind" 2>/dev/null)" -- "$cur") )
            else
                COMPREPLY=( $(compgen -W "$(_lims_subcommands "$cmdpath")" -- "$cur") )
            fi
            return 0
        }

        complete -F _lims lims

        """
    }

    static func zsh(_ root: CommandSpec) -> String {
        """
        #compdef lims
        # zsh completion for lims (generated by `lims completion zsh`; regenerate after upgrading lims)

        \(tables(root, described: true))

        _lims() {
            local cmdpath="" word i skip=0 entry kind
            local -a subs opts valued db
            for (( i = 2; i < CURRENT; i++ )); do
                word="${words[i]}"
                if (( skip )); then skip=0; continue; fi
                [[ "$word" == --db ]] && db=(--db "${words[i+1]}")
                case "$word" in
                    --*=*) continue ;;
                    -*)
                        valued=( ${(f)"$(_lims_value_options "$cmdpath")"} )
                        (( ${valued[(Ie)$word]} )) && skip=1
                        continue ;;
                esac
                subs=( ${(f)"$(_lims_subcommands "$cmdpath")"} )
                for entry in $subs; do
                    if [[ "${entry%%:*}" == "$word" ]]; then cmdpath="${cmdpath:+$cmdpath }$word"; break; fi
                done
            done
            local prev="${words[CURRENT-1]}"
            valued=( ${(f)"$(_lims_value_options "$cmdpath")"} )
            if [[ "$prev" == -* ]] && (( ${valued[(Ie)$prev]} )); then
                local -a choices
                choices=( ${(f)"$(_lims_choices "$cmdpath" "$prev")"} )
                if (( ${#choices} )); then
                    compadd -- $choices
                elif [[ -n "$(_lims_file_options "$cmdpath" "$prev")" ]]; then
                    _files
                elif kind="$(_lims_database_options "$cmdpath" "$prev")" && [[ -n "$kind" ]]; then
                    compadd -- ${(f)"$(lims $db completion values $kind 2>/dev/null)"}
                else
                    _message 'value'
                fi
                return
            fi
            kind="$(_lims_argument_kind "$cmdpath")"
            if [[ "${words[CURRENT]}" == -* ]]; then
                opts=( ${(f)"$(_lims_options "$cmdpath")"} )
                _describe -t options 'option' opts
            elif [[ "$kind" == file ]]; then
                _files
            elif [[ -n "$kind" ]]; then
                compadd -- ${(f)"$(lims $db completion values $kind 2>/dev/null)"}
            else
                subs=( ${(f)"$(_lims_subcommands "$cmdpath")"} )
                _describe -t commands 'command' subs
            fi
        }

        if [[ "${funcstack[1]}" == "_lims" ]]; then
            _lims "$@"
        else
            compdef _lims lims
        fi

        """
    }
}
