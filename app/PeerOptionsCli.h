#pragma once
// The options of the other direction, shared by `rpcbench call`, `methods` and `listen`:
//   --init FILE        a handshake (client/InitSequence's file format) sent on the connection
//                      before anything else, each call awaited;
//   --answer WORKSPACE the client's own methods, answering the requests the server sends: the
//                      workspace's "client.methods", or its top-level "methods" when it has none.
// Without --answer a server request is answered -32601 at once: a headless command never
// holds one, so the server never waits on us.

#include "client/InitSequence.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

class QCommandLineParser;

namespace rpcbench {
class Engine;
class RpcClient;
} // namespace rpcbench

namespace rpcbench::cli {

struct PeerSetup
{
    PeerSetup();
    ~PeerSetup();
    PeerSetup(PeerSetup&&) noexcept;
    PeerSetup& operator=(PeerSetup&&) noexcept;

    QList<InitStep> init;
    // Holds the client's methods (and the script threads they may need); null without --answer.
    std::unique_ptr<Engine> answers;
    int answerCount = 0; // methods --answer provides

    // Hands the handshake and the methods to the client; requests without a method get -32601.
    void applyTo(RpcClient& client) const;
};

void addPeerOptions(QCommandLineParser& p);
const QStringList& peerValueOptions(); // for separateOptions()

// Reads --init and --answer; false with a one-line *error naming the file and the problem
// ("invalid --init file 'x.json': init[1].method: missing").
bool readPeerOptions(const QCommandLineParser& p, PeerSetup* setup, QString* error);
// The handshake file alone (bench has no --answer).
bool readInitOption(const QCommandLineParser& p, QList<InitStep>* steps, QString* error);

} // namespace rpcbench::cli
