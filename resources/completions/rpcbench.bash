# bash completion for rpcbench (installed as share/bash-completion/completions/rpcbench).
# The option lists are checked against every command's --help by tests/core/tst_clidocs.cpp;
# for `call`, METHOD completes from the target's methods (`rpcbench methods --names`).

_rpcbench_commands="serve call methods listen bench proxy replay test help"
_rpcbench_schemes="tcp:// tcp+lsp:// tcp+tls:// http:// https:// ws:// wss:// unix: unix+lsp: exec: exec+lsp:"
# The connection options every client command shares (ConnectionOptionsCli).
_rpcbench_conn="--url --exec --framing --cwd --env -H --header --bearer --user --cacert --insecure --cert --key --sse --max-reply-bytes"
# Options that take a value (the next word is not an option or an argument).
_rpcbench_valued=" --port --bind --listen --tls-cert --tls-key --framing --log --max-message-bytes --idle-timeout-ms --keepalive-timeout-ms --max-connections --handler-timeout-ms --workspace --url --exec --cwd --env -H --header --bearer --user --cacert --cert --key --max-reply-bytes --dialect --timeout --init --answer --params --batch --count --seconds --conns --depth --warmup --payload --method --upstream --log-file --monitor --faults --ignore --replay --settings --duration --collection --folder --var --junit --rate --ramp --ramp-from --csv --from-collection --environment "

_rpcbench_options()
{
    local common="-h --help --help-all"
    case $1 in
    serve) echo "$common --port --bind --listen --tls-cert --tls-key --stdio --framing --log --max-message-bytes --idle-timeout-ms --keepalive-timeout-ms --max-connections --handler-timeout-ms --workspace --replay --ignore" ;;
    call) echo "$common $_rpcbench_conn --dialect --timeout --verbose --init --answer --params --notify --batch --compact --listen --timeout-resets-on-progress" ;;
    methods) echo "$common $_rpcbench_conn --dialect --timeout --verbose --init --answer --json --names" ;;
    listen) echo "$common $_rpcbench_conn --dialect --count --seconds --verbose --init --answer" ;;
    bench) echo "$common $_rpcbench_conn --conns --depth --seconds --warmup --payload --method --params --dialect --echo --init --json --echo-server --port --bind --duration --rate --ramp --ramp-from --csv --from-collection --collection --folder --environment --var" ;;
    proxy) echo "$common --listen --upstream --stdio --log --log-file --monitor --faults $_rpcbench_conn" ;;
    replay) echo "$common $_rpcbench_conn --method --ignore --timeout" ;;
    test) echo "$common --url --collection --folder --env --var --junit --tap --bail --serve --timeout" ;;
    "") echo "-h --help -V --version --start-server --settings" ;;
    esac
}

# The method names of the server the command line points at (its --url and credentials).
_rpcbench_methods()
{
    local -a conn=()
    local i
    for ((i = 2; i < cword; i++)); do
        case ${words[i]} in
        --url | -H | --header | --bearer | --user | --cacert | --cert | --key | --dialect)
            conn+=("${words[i]}" "${words[i + 1]}") ;;
        --insecure) conn+=(--insecure) ;;
        esac
    done
    "${words[0]}" methods --names --timeout 2000 "${conn[@]}" 2>/dev/null
}

_rpcbench()
{
    local cur prev words cword
    _init_completion -n := || return

    local command="" i positional=0
    for ((i = 1; i < cword; i++)); do
        if [[ -z $command && ${words[i]} != -* ]]; then
            command=${words[i]}
        elif [[ -n $command && ${words[i]} != -* && $_rpcbench_valued != *" ${words[i - 1]} "* ]]; then
            ((positional++))
        fi
    done

    case $prev in
    --url | --upstream | --listen)
        if [[ $command == call && $prev == --listen ]]; then return; fi
        COMPREPLY=($(compgen -W "$_rpcbench_schemes" -- "$cur"))
        compopt -o nospace
        __ltrim_colon_completions "$cur"
        return ;;
    --framing) COMPREPLY=($(compgen -W "lsp ndjson" -- "$cur")); return ;;
    --dialect) COMPREPLY=($(compgen -W "2.0 1.0 classic" -- "$cur")); return ;;
    --log) COMPREPLY=($(compgen -W "text jsonl none" -- "$cur")); return ;;
    --monitor) COMPREPLY=($(compgen -W "unix:" -- "$cur")); compopt -o nospace; __ltrim_colon_completions "$cur"; return ;;
    --cwd) _filedir -d; return ;;
    --workspace | --answer | --faults | --init | --batch | --replay | --tls-cert | --tls-key | --cacert | --cert | --key | --log-file | --settings | --junit | --csv)
        _filedir; return ;;
    --exec) COMPREPLY=($(compgen -c -- "$cur")); return ;;
    esac
    [[ $_rpcbench_valued == *" $prev "* ]] && return

    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$(_rpcbench_options "")" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$_rpcbench_commands" -- "$cur"))
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_rpcbench_options "$command")" -- "$cur"))
        return
    fi
    case $command:$positional in
    call:0) COMPREPLY=($(compgen -W "$(_rpcbench_methods)" -- "$cur")); __ltrim_colon_completions "$cur" ;;
    listen:0) COMPREPLY=($(compgen -W "$_rpcbench_schemes" -- "$cur")); compopt -o nospace; __ltrim_colon_completions "$cur" ;;
    replay:0 | test:0) _filedir ;;
    esac
} && complete -F _rpcbench rpcbench
