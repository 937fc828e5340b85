# fish completion for rpcbench (installed as share/fish/vendor_completions.d/rpcbench.fish).
# The option lists are checked against every command's --help by tests/core/tst_clidocs.cpp;
# for `call`, METHOD completes from the target's methods (`rpcbench methods --names`).

set -l commands serve call methods listen bench proxy replay test help
set -l clients call methods listen bench proxy replay
set -l schemes tcp:// tcp+lsp:// tcp+tls:// http:// https:// ws:// wss:// unix: unix+lsp: exec: exec+lsp:

# The method names of the server the command line points at (its --url and credentials).
function __rpcbench_methods
    set -l words (commandline -opc)
    set -l conn
    for i in (seq 3 (count $words))
        switch $words[$i]
            case --url -H --header --bearer --user --cacert --cert --key --dialect
                if test $i -lt (count $words)
                    set -a conn $words[$i] $words[(math $i + 1)]
                end
            case --insecure
                set -a conn --insecure
        end
    end
    rpcbench methods --names --timeout 2000 $conn 2>/dev/null
end

# True while the METHOD argument of `call` is being typed (no argument word yet).
function __rpcbench_call_needs_method
    set -l words (commandline -opc)
    test "$words[2]" = call; or return 1
    set -l valued --url --exec --framing --cwd --env -H --header --bearer --user --cacert --cert --key --max-reply-bytes --dialect --timeout --init --answer --params --batch --listen
    set -l skip 0
    for word in $words[3..-1]
        if test $skip = 1
            set skip 0
        else if contains -- $word $valued
            set skip 1
        else if not string match -q -- '-*' $word
            return 1
        end
    end
    return 0
end

complete -c rpcbench -f
# Without a command: the window's options and the commands.
complete -c rpcbench -n "not __fish_seen_subcommand_from $commands" -s h -l help -d 'Show help'
complete -c rpcbench -n "not __fish_seen_subcommand_from $commands" -s V -l version -d 'Print the version'
complete -c rpcbench -n "not __fish_seen_subcommand_from $commands" -l start-server -d 'Start the embedded server at once'
complete -c rpcbench -n "not __fish_seen_subcommand_from $commands" -l settings -r -F -d 'INI settings file'
complete -c rpcbench -n "not __fish_seen_subcommand_from $commands" -a serve -d 'Run the JSON-RPC server headless'
complete -c rpcbench -n "not __fish_seen_subcommand_from $commands" -a call -d 'Call a method on a JSON-RPC server'
complete -c rpcbench -n "not __fish_seen_subcommand_from $commands" -a methods -d "List a server's methods"
complete -c rpcbench -n "not __fish_seen_subcommand_from $commands" -a listen -d 'Print what a server sends'
complete -c rpcbench -n "not __fish_seen_subcommand_from $commands" -a bench -d 'Load-test a server'
complete -c rpcbench -n "not __fish_seen_subcommand_from $commands" -a proxy -d 'Forward, log and inject faults'
complete -c rpcbench -n "not __fish_seen_subcommand_from $commands" -a replay -d 'Send recorded requests again'
complete -c rpcbench -n "not __fish_seen_subcommand_from $commands" -a test -d "Run a workspace's saved calls and check them"
complete -c rpcbench -n "not __fish_seen_subcommand_from $commands" -a help -d 'Print the commands'

# Every command.
complete -c rpcbench -n "__fish_seen_subcommand_from $commands" -s h -l help -d 'Show help'
complete -c rpcbench -n "__fish_seen_subcommand_from $commands" -l help-all -d 'Help with the Qt options'

# serve
set -l c "__fish_seen_subcommand_from serve"
complete -c rpcbench -n $c -l port -x -d 'TCP port (0 = any free port)'
complete -c rpcbench -n $c -l bind -x -d 'Address to bind'
complete -c rpcbench -n $c -l listen -x -a "$schemes" -d 'Listen on URL'
complete -c rpcbench -n $c -l tls-cert -r -F -d 'Certificate (PEM)'
complete -c rpcbench -n $c -l tls-key -r -F -d 'Private key (PEM)'
complete -c rpcbench -n $c -l stdio -d 'Serve on stdin/stdout'
complete -c rpcbench -n $c -l framing -x -a 'lsp ndjson' -d 'Framing with --stdio'
complete -c rpcbench -n $c -l log -x -a 'text jsonl none' -d 'Traffic log format'
complete -c rpcbench -n $c -l max-message-bytes -x -d 'Largest message'
complete -c rpcbench -n $c -l idle-timeout-ms -x -d 'Half-received message timeout'
complete -c rpcbench -n $c -l keepalive-timeout-ms -x -d 'Idle connection timeout'
complete -c rpcbench -n $c -l max-connections -x -d 'Concurrent connections'
complete -c rpcbench -n $c -l handler-timeout-ms -x -d 'Call timeout'
complete -c rpcbench -n $c -l workspace -r -F -d 'Workspace file'
complete -c rpcbench -n $c -l replay -r -F -d 'Answer from a recorded traffic log'

# The connection options every client command shares (ConnectionOptionsCli).
set -l c "__fish_seen_subcommand_from $clients"
complete -c rpcbench -n $c -l url -x -a "$schemes" -d 'Server URL'
complete -c rpcbench -n $c -l exec -x -a '(__fish_complete_command)' -d 'Launch a command, talk on its stdin/stdout'
complete -c rpcbench -n $c -l framing -x -a 'lsp ndjson' -d 'Framing of --exec'
complete -c rpcbench -n $c -l cwd -x -a '(__fish_complete_directories)' -d 'Working directory of --exec'
complete -c rpcbench -n $c -l env -x -d 'Environment variable of --exec'
complete -c rpcbench -n $c -s H -l header -x -d 'HTTP/WebSocket header'
complete -c rpcbench -n $c -l bearer -x -d 'Bearer token'
complete -c rpcbench -n $c -l user -x -d 'HTTP basic authentication'
complete -c rpcbench -n $c -l cacert -r -F -d 'Trust this CA certificate'
complete -c rpcbench -n $c -l insecure -d 'Do not verify the TLS certificate'
complete -c rpcbench -n $c -l cert -r -F -d 'TLS client certificate'
complete -c rpcbench -n $c -l key -r -F -d 'Key of --cert'
complete -c rpcbench -n $c -l sse -d 'MCP Streamable HTTP event stream'
complete -c rpcbench -n $c -l max-reply-bytes -x -d 'Largest reply accepted'

# call, methods, listen: handshake and answers
set -l c "__fish_seen_subcommand_from call methods listen"
complete -c rpcbench -n $c -l init -r -F -d 'Handshake file'
complete -c rpcbench -n $c -l answer -r -F -d "Answer the server's requests from a workspace"
complete -c rpcbench -n $c -l verbose -d 'Show the raw traffic'
complete -c rpcbench -n "__fish_seen_subcommand_from call methods listen bench" -l dialect -x -a '2.0 1.0 classic' -d 'JSON-RPC dialect'
complete -c rpcbench -n "__fish_seen_subcommand_from call methods replay" -l timeout -x -d 'Timeout (ms)'

# call
set -l c "__fish_seen_subcommand_from call"
complete -c rpcbench -n $c -l params -x -d 'Params verbatim (JSON)'
complete -c rpcbench -n $c -l notify -d 'Send a notification'
complete -c rpcbench -n $c -l batch -r -F -d 'Batch file'
complete -c rpcbench -n $c -l compact -d 'Print on one line'
complete -c rpcbench -n $c -l listen -x -d 'Keep listening SECONDS longer'
complete -c rpcbench -n $c -l timeout-resets-on-progress -d 'Progress restarts the timeout'
complete -c rpcbench -n __rpcbench_call_needs_method -x -a '(__rpcbench_methods)'

# methods
complete -c rpcbench -n "__fish_seen_subcommand_from methods bench" -l json -d 'Print JSON'
complete -c rpcbench -n "__fish_seen_subcommand_from methods" -l names -d 'Print only the method names'

# listen
set -l c "__fish_seen_subcommand_from listen"
complete -c rpcbench -n $c -l count -x -d 'Stop after N messages'
complete -c rpcbench -n "__fish_seen_subcommand_from listen bench" -l seconds -x -d 'Seconds'
complete -c rpcbench -n $c -a "$schemes" -d 'Server URL'

# bench
set -l c "__fish_seen_subcommand_from bench"
complete -c rpcbench -n $c -l conns -x -d 'Connections'
complete -c rpcbench -n $c -l depth -x -d 'Calls in flight per connection'
complete -c rpcbench -n $c -l duration -x -d 'Measured seconds (as --seconds)'
complete -c rpcbench -n $c -l rate -x -d 'Open loop: calls per second'
complete -c rpcbench -n $c -l ramp -x -d 'With --rate: ramp-up seconds'
complete -c rpcbench -n $c -l ramp-from -x -d 'Rate at the start of --ramp'
complete -c rpcbench -n $c -l csv -r -F -d 'Per-second CSV file'
complete -c rpcbench -n $c -l warmup -x -d 'Warm-up seconds'
complete -c rpcbench -n $c -l payload -x -d 'Echo payload bytes'
complete -c rpcbench -n $c -l method -x -d 'Method to call'
complete -c rpcbench -n $c -l params -x -d 'Params of --method (JSON)'
complete -c rpcbench -n $c -l init -r -F -d 'Handshake file'
complete -c rpcbench -n $c -l echo -d 'The URL is a raw echo server'
complete -c rpcbench -n $c -l echo-server -d 'Run a raw TCP echo server'
complete -c rpcbench -n $c -l port -x -d 'Echo server port'
complete -c rpcbench -n $c -l bind -x -d 'Echo server address'
complete -c rpcbench -n $c -l from-collection -r -F -d 'Send a mix of saved calls (workspace or collection file)'
complete -c rpcbench -n $c -l collection -x -d 'With --from-collection: the collection'
complete -c rpcbench -n $c -l folder -x -d 'With --from-collection: the calls under PATH'
complete -c rpcbench -n $c -l environment -x -d 'With --from-collection: workspace environment'
complete -c rpcbench -n $c -l var -x -d 'With --from-collection: set a variable (NAME=VALUE)'

# proxy
set -l c "__fish_seen_subcommand_from proxy"
complete -c rpcbench -n $c -l listen -x -a "$schemes" -d 'Where clients connect'
complete -c rpcbench -n $c -l upstream -x -a "$schemes" -d 'Server to forward to'
complete -c rpcbench -n $c -l stdio -d 'Serve one client on stdin/stdout'
complete -c rpcbench -n $c -l log -x -a 'text jsonl none' -d 'Traffic log format'
complete -c rpcbench -n $c -l log-file -r -F -d 'Traffic log file'
complete -c rpcbench -n $c -l monitor -x -a 'unix:' -d 'Monitor socket'
complete -c rpcbench -n $c -l faults -r -F -d 'Faults file'

# replay
set -l c "__fish_seen_subcommand_from replay"
complete -c rpcbench -n $c -l method -x -d 'Replay matching methods'
complete -c rpcbench -n "__fish_seen_subcommand_from replay serve" -l ignore -x -d 'JSON Pointer not to compare'
complete -c rpcbench -n $c -F -d 'Traffic log'

# test
set -l c "__fish_seen_subcommand_from test"
complete -c rpcbench -n $c -l url -x -a "$schemes" -d 'Target of calls that name none'
complete -c rpcbench -n $c -l collection -x -d 'Run only this collection'
complete -c rpcbench -n $c -l folder -x -d 'Run only the calls under PATH'
complete -c rpcbench -n $c -l env -x -d 'Workspace environment'
complete -c rpcbench -n $c -l var -x -d 'Set a variable (NAME=VALUE)'
complete -c rpcbench -n $c -l junit -r -F -d 'Write JUnit XML'
complete -c rpcbench -n $c -l tap -d 'Print TAP'
complete -c rpcbench -n $c -l bail -d 'Stop at the first failing call'
complete -c rpcbench -n $c -l serve -d "Start the workspace's mock server first"
complete -c rpcbench -n $c -l timeout -x -d 'Default call timeout (ms)'
complete -c rpcbench -n $c -F -d 'Workspace or collection file'
