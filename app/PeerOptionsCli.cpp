#include "PeerOptionsCli.h"

#include "client/RpcClient.h"
#include "engine/Engine.h"
#include "mock/MockService.h"

#include <QCommandLineParser>

namespace rpcbench::cli {

PeerSetup::PeerSetup() = default;
PeerSetup::~PeerSetup() = default;
PeerSetup::PeerSetup(PeerSetup&&) noexcept = default;
PeerSetup& PeerSetup::operator=(PeerSetup&&) noexcept = default;

void PeerSetup::applyTo(RpcClient& client) const
{
    if (!init.isEmpty())
        client.setInitSequence(init);
    if (answers)
        client.setClientMethods(answers->clientRegistry());
    client.setHoldUnanswered(false);
}

void addPeerOptions(QCommandLineParser& p)
{
    p.addOption({QStringLiteral("init"),
                 QStringLiteral("Handshake: a JSON array of {\"method\", \"params\", \"notification\", "
                                "\"timeoutMs\"} sent in order on connecting, each call awaited; params may "
                                "use \"{{init[0].result...}}\" (resources/examples/lsp-init.json, "
                                "mcp-init.json)."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("answer"),
                 QStringLiteral("Answer the server's requests with the methods of this workspace: its "
                                "\"client\".\"methods\", or its top-level \"methods\" when it has none. "
                                "Without it (or for other methods) the answer is error -32601."),
                 QStringLiteral("workspace")});
}

const QStringList& peerValueOptions()
{
    static const QStringList names{QStringLiteral("init"), QStringLiteral("answer")};
    return names;
}

bool readInitOption(const QCommandLineParser& p, QList<InitStep>* steps, QString* error)
{
    if (!p.isSet(QStringLiteral("init")))
        return true;
    const QString path = p.value(QStringLiteral("init"));
    QString reason;
    const auto loaded = InitSequence::load(path, &reason);
    if (!loaded) {
        *error = QStringLiteral("invalid --init file '%1': %2").arg(path, reason);
        return false;
    }
    if (loaded->isEmpty()) {
        *error = QStringLiteral("invalid --init file '%1': the list is empty").arg(path);
        return false;
    }
    *steps = *loaded;
    return true;
}

namespace {

bool readAnswerOption(const QCommandLineParser& p, PeerSetup* setup, QString* error)
{
    if (!p.isSet(QStringLiteral("answer")))
        return true;
    const QString path = p.value(QStringLiteral("answer"));
    auto engine = std::make_unique<Engine>();
    QString reason;
    const auto workspace = engine->readWorkspace(path, &reason);
    if (!workspace) {
        *error = QStringLiteral("invalid --answer workspace '%1': %2").arg(path, reason);
        return false;
    }
    // A workspace written for `serve` has its methods at the top level: answering with them is
    // what a user pointing --answer at it expects.
    const QList<UserMethod> methods =
        workspace->client.methods.isEmpty() ? workspace->methods : workspace->client.methods;
    if (methods.isEmpty()) {
        *error = QStringLiteral("invalid --answer workspace '%1': it has no methods").arg(path);
        return false;
    }
    engine->clientMocks()->replaceMethods(methods);
    setup->answerCount = int(methods.size());
    setup->answers = std::move(engine);
    return true;
}

} // namespace

bool readPeerOptions(const QCommandLineParser& p, PeerSetup* setup, QString* error)
{
    return readInitOption(p, &setup->init, error) && readAnswerOption(p, setup, error);
}

} // namespace rpcbench::cli
