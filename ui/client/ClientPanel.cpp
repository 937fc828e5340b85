#include "client/ClientPanel.h"

#include "client/CallComposer.h"
#include "client/CallHistoryModel.h"
#include "client/HistoryPanel.h"
#include "client/IncomingModel.h"
#include "client/IncomingPanel.h"
#include "client/InitSequence.h"
#include "client/ParamForm.h"
#include "client/ResponseView.h"
#include "client/RpcClient.h"
#include "client/TabOrder.h"
#include "client/TargetBar.h"
#include "dispatch/MethodRegistry.h"
#include "protocol/RequestDecoder.h"
#include "util/JsonText.h"
#include "widgets/ElidedLabel.h"
#include "widgets/StatusIcons.h"
#include "window/Settings.h"

#include <QApplication>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace rpcbench {

namespace {

QString outcomeText(const CallResult& r)
{
    if (r.status == CallStatus::Ok)
        return QString::fromUtf8(JsonText::serialize(r.result));
    return r.describe();
}

// A logged request as the composer takes it: nullopt when it is no valid request. The params
// are taken as logged (absent stays absent), not as RequestDecoder normalised them.
std::optional<CallRequest> toCall(const QJsonValue& message, bool batchElement)
{
    const DecodedRequest decoded = RequestDecoder::decode(message, batchElement);
    if (!decoded.valid)
        return std::nullopt;
    CallRequest call;
    call.method = decoded.method;
    call.notification = decoded.notification;
    if (decoded.dialect != Dialect::Classic) {
        call.params = message.toObject().value(QLatin1StringView("params"));
    } else if (!decoded.positional.isEmpty() || decoded.named.isEmpty()) {
        call.params = decoded.positional;
        call.kwargs = decoded.named;
    } else {
        call.params = decoded.named;
    }
    return call;
}

// The calls of a logged request, notification (one) or batch (*batch set); nullopt with a
// one-line reason for anything else.
std::optional<QList<CallRequest>> loggedCalls(const QByteArray& json, bool* batch, QString* error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull()) {
        *error = ClientPanel::tr("not valid JSON (%1)").arg(parseError.errorString());
        return std::nullopt;
    }
    *batch = doc.isArray();
    const QJsonArray messages = *batch ? doc.array() : QJsonArray{doc.object()};
    QList<CallRequest> calls;
    for (const QJsonValue& message : messages) {
        if (const auto call = toCall(message, *batch))
            calls << *call;
    }
    if (calls.isEmpty() || calls.size() != messages.size()) {
        *error = ClientPanel::tr("the message is not a request, notification or batch of them");
        return std::nullopt;
    }
    return calls;
}

} // namespace

ClientPanel::ClientPanel(RpcClient* client, Settings& settings, QWidget* parent)
    : QWidget(parent), m_client(client), m_settings(settings),
      m_target(new TargetBar(settings.lastUrl(), settings.lastDialect(), this)), m_composer(new CallComposer),
      m_response(new ResponseView), m_incoming(new IncomingPanel),
      m_history(new CallHistoryModel(Settings::maxHistory(), this)),
      m_historyPanel(new HistoryPanel(m_history)), m_tabs(new QTabWidget),
      m_splitter(new QSplitter(Qt::Horizontal, this))
{
    m_history->load(settings.callHistory());
    connect(m_history, &CallHistoryModel::historyChanged, this,
            [this] { m_settings.setCallHistory(m_history->toJson()); });

    m_tabs->setObjectName(QStringLiteral("clientTabs"));
    // In a narrow panel the tab titles elide rather than scroll behind arrow buttons too
    // small for the style; the tooltips say what each tab holds.
    m_tabs->setUsesScrollButtons(false);
    m_tabs->setElideMode(Qt::ElideRight);
    m_tabs->addTab(m_response, tr("Response"));
    m_tabs->addTab(m_incoming, tr("Incoming"));
    m_tabs->addTab(m_historyPanel, tr("History"));
    m_tabs->setTabToolTip(0, tr("The reply to the last call, with its bytes"));
    m_tabs->setTabToolTip(2, tr("The calls sent, newest first: re-run, load, save or delete one"));
    m_splitter->setObjectName(QStringLiteral("clientSplitter"));
    m_splitter->addWidget(m_composer);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_target);
    connectTargetBar();
    layout->addWidget(m_splitter, 1);

    connect(m_composer, &CallComposer::sendRequested, this, &ClientPanel::sendCall);
    connect(m_composer, &CallComposer::sendBatchRequested, this, &ClientPanel::sendBatch);
    connect(m_response, &ResponseView::cancelRequested, this, [this] { m_client->cancel(m_lastCallId); });
    connect(m_historyPanel, &HistoryPanel::rerunRequested, this, &ClientPanel::rerun);
    connect(m_historyPanel, &HistoryPanel::loadRequested, this, &ClientPanel::load);
    // The client lives on its own thread: these arrive queued on the GUI thread.
    connect(m_client, &RpcClient::finished, this, &ClientPanel::onFinished);
    connect(m_client, &RpcClient::batchFinished, this, &ClientPanel::onBatchFinished);
    connect(m_client, &RpcClient::discovered, this, &ClientPanel::onDiscovered);
    connect(m_client, &RpcClient::stateChanged, this, &ClientPanel::onStateChanged);
    connect(m_client, &RpcClient::lateReply, this, &ClientPanel::onLateReply);
    connect(m_client, &RpcClient::progress, this, &ClientPanel::onProgress);
    connectIncoming();
    connect(m_composer, &CallComposer::focusChainChanged, this, &ClientPanel::updateTabOrder);
    updateTabOrder();
}

void ClientPanel::updateTabOrder()
{
    // Reading order: the target bar, the composer, then the response/history tabs. Re-applied
    // whole whenever the composer's form changes, so no stop is left behind out of order.
    setTabChain(QList<QWidget*>{urlEdit(), m_target->dialectCombo(), m_target->connectionButton(),
                                m_target->discoverButton()}
                << m_composer->focusChain() << m_tabs->tabBar() << m_incoming->focusChain());
}

ClientPanel::~ClientPanel()
{
    // The focused field loses focus while QWidget's destructor runs, and the composer reacts
    // (commits the method, re-chains the tab order, signals us): let that happen while this
    // panel is still whole.
    if (QWidget* focus = QApplication::focusWidget(); focus && isAncestorOf(focus))
        focus->clearFocus();
}

void ClientPanel::connectTargetBar()
{
    connect(m_target, &TargetBar::discoverRequested, this, &ClientPanel::discover);
    connect(m_target, &TargetBar::connectRequested, this, &ClientPanel::connectToServer);
    connect(m_target, &TargetBar::targetEdited, this, &ClientPanel::saveTarget);
    connect(m_target, &TargetBar::targetsChanged, this, &ClientPanel::saveTarget);
    connect(m_target, &TargetBar::connectionSettingsEdited, this, &ClientPanel::applyConnectionSettings);
    connect(m_target->urlEdit(), &QLineEdit::textChanged, this, [this](const QString& text) {
        if (text.trimmed().isEmpty()) // back to the embedded server: its methods are known
            m_composer->setMethods(m_localMethods);
    });
    saveTarget();
}

QLineEdit* ClientPanel::urlEdit() const
{
    return m_target->urlEdit();
}

ElidedLabel* ClientPanel::discoveryLabel() const
{
    return m_target->discoveryLabel();
}

ElidedLabel* ClientPanel::stateLabel() const
{
    return m_target->stateLabel();
}

void ClientPanel::setEmbeddedUrl(const QString& url)
{
    m_target->setEmbeddedUrl(url);
    saveTarget();
}

void ClientPanel::setLocalMethods(const QList<MethodInfo>& methods)
{
    m_localMethods = methods;
    if (urlEdit()->text().trimmed().isEmpty())
        m_composer->setMethods(methods);
}

QString ClientPanel::effectiveUrl() const
{
    return m_target->effectiveUrl();
}

Dialect ClientPanel::dialect() const
{
    return m_target->dialect();
}

void ClientPanel::saveTarget()
{
    m_settings.setLastUrl(urlEdit()->text().trimmed());
    m_settings.setLastDialect(m_target->dialectName());
    // With the target's options: "Copy as command" repeats headers, auth and TLS settings.
    if (const auto endpoint = m_target->endpoint())
        m_composer->setTarget(*endpoint, dialect());
    else
        m_composer->setTarget(effectiveUrl(), dialect());
}

bool ClientPanel::applyTarget()
{
    saveTarget();
    if (effectiveUrl().isEmpty()) {
        m_response->showProblem(tr("No target: start the embedded server or type a URL."));
        return false;
    }
    QString error;
    const auto endpoint = m_target->endpoint(&error);
    if (!endpoint) {
        m_response->showProblem(tr("Invalid URL: %1").arg(error));
        return false;
    }
    // Setting the endpoint drops the connection: only when the address or a setting changed.
    if (m_client->endpoint() != *endpoint)
        m_client->setEndpoint(*endpoint);
    if (m_client->dialect() != dialect())
        m_client->setDialect(dialect());
    applyInitSequence();
    return true;
}

void ClientPanel::applyInitSequence()
{
    const QJsonArray init = m_target->init();
    if (init == m_appliedInit)
        return;
    QString error;
    const auto steps = InitSequence::fromJson(init, &error);
    if (!steps) { // the dialog refuses a bad one; a hand-edited workspace is checked on load
        m_response->showProblem(tr("Handshake not applied: %1").arg(error));
        return;
    }
    m_client->setInitSequence(*steps);
    m_appliedInit = init;
}

void ClientPanel::applyConnectionSettings()
{
    const bool reconnect = m_connected; // the old connection ends with setEndpoint
    const Endpoint before = m_client->endpoint();
    const QJsonArray initBefore = m_appliedInit;
    if (!applyTarget() || !reconnect)
        return;
    // A new handshake runs on new connections only: a changed one reconnects, so what the user
    // just set is what the server sees.
    if (m_client->endpoint() == before && m_appliedInit != initBefore)
        m_client->disconnectFromServer();
    m_client->connectToServer();
}

void ClientPanel::connectToServer()
{
    if (!applyTarget())
        return;
    m_client->connectToServer();
    discover();
}

void ClientPanel::disconnectFromServer()
{
    m_client->disconnectFromServer();
}

void ClientPanel::discover()
{
    if (!applyTarget())
        return;
    StatusIcons::setPixmap(m_target->discoveryIcon(), StatusIcon::None);
    discoveryLabel()->setFullText(tr("discovering…"));
    discoveryLabel()->setExtraToolTip(QString());
    m_discoveryId = m_client->discover();
}

bool ClientPanel::sendCall(const CallRequest& request)
{
    if (!applyTarget())
        return false;
    const quint64 id = m_client->call(request);
    m_pending.insert(id, Pending{request, effectiveUrl(), dialect()});
    m_lastCallId = id;
    m_last = request;
    m_hasLast = true;
    m_response->showPending(tr("Calling %1…").arg(request.method));
    m_tabs->setCurrentWidget(m_response);
    return true;
}

bool ClientPanel::sendBatch(const QList<CallRequest>& requests)
{
    if (requests.isEmpty() || !applyTarget())
        return false;
    const quint64 id = m_client->batch(requests);
    m_batches.insert(id, requests);
    m_lastCallId = id;
    m_response->showPending(tr("Sending a batch of %1 calls…").arg(requests.size()));
    m_tabs->setCurrentWidget(m_response);
    return true;
}

bool ClientPanel::resendLast()
{
    return m_hasLast && sendCall(m_last);
}

void ClientPanel::loadMethod(const MethodInfo& method)
{
    QList<MethodInfo> methods = m_composer->methods();
    const bool known = std::any_of(methods.cbegin(), methods.cend(),
                                   [&](const MethodInfo& m) { return m.name == method.name; });
    if (!known) {
        methods.append(method);
        m_composer->setMethods(methods);
    }
    m_composer->selectMethod(method.name);
    m_composer->form()->setFocus();
}

void ClientPanel::loadRawRequest(const QByteArray& json, const QString& url)
{
    bool batch = false;
    QString error;
    const std::optional<QList<CallRequest>> calls = loggedCalls(json, &batch, &error);
    if (!calls) {
        emit statusMessage(tr("Send again: %1").arg(error));
        return;
    }
    if (!url.trimmed().isEmpty()) {
        urlEdit()->setText(url.trimmed());
        saveTarget();
    }
    if (batch) {
        m_composer->loadBatch(*calls);
        return;
    }
    const CallRequest& call = calls->first();
    m_composer->loadCall(call.method, call.params, call.notification);
    if (!call.kwargs.isEmpty()) // the composer holds either kind of params, not both
        emit statusMessage(tr("Send again: the keyword arguments were left out"));
    m_composer->sendButton()->setFocus();
}

void ClientPanel::onFinished(quint64 callId, const CallResult& result)
{
    const auto it = m_pending.constFind(callId);
    if (it == m_pending.cend())
        return; // discovery traffic and calls of other owners
    const Pending pending = *it;
    m_pending.erase(it);
    if (callId == m_lastCallId)
        m_response->showResult(result);
    remember(pending, result, callId);
}

void ClientPanel::onLateReply(quint64 callId, qint64 latencyUs)
{
    if (!m_history->markLate(callId, latencyUs))
        return; // not one of ours, or no longer in the history
    if (callId == m_lastCallId)
        m_response->showLateReply(latencyUs);
}

void ClientPanel::onBatchFinished(quint64 batchId, const BatchResult& result)
{
    const QList<CallRequest> requests = m_batches.take(batchId);
    if (requests.isEmpty())
        return;
    if (batchId == m_lastCallId)
        m_response->showBatch(result);
    // Items come back in request order, so each finds its params by position.
    for (qsizetype i = 0; i < result.items.size() && i < requests.size(); ++i)
        remember(Pending{requests.at(i), effectiveUrl(), dialect()}, result.items.at(i));
}

void ClientPanel::remember(const Pending& pending, const CallResult& result, quint64 callId)
{
    HistoryEntry entry;
    entry.callId = callId;
    entry.time = QDateTime::currentDateTime();
    entry.method = pending.request.method;
    entry.params = pending.request.params;
    entry.notification = pending.request.notification;
    entry.url = pending.url;
    entry.dialect = toString(pending.dialect);
    entry.status = toString(result.status);
    entry.outcome = outcomeText(result);
    entry.latencyUs = result.latencyUs;
    m_history->add(std::move(entry));
}

void ClientPanel::onDiscovered(quint64 requestId, const DiscoveryResult& result)
{
    if (requestId != m_discoveryId)
        return;
    QStringList names;
    for (const MethodInfo& m : result.methods)
        names << m.name;
    m_composer->setMethods(result.methods);
    if (result.ok()) {
        StatusIcons::setPixmap(m_target->discoveryIcon(), StatusIcon::None);
        discoveryLabel()->setFullText(tr("%1 methods via %2").arg(result.methods.size()).arg(result.source));
        discoveryLabel()->setExtraToolTip(QString());
    } else {
        // The reason is what the user needs (connection refused, no such method…): shown, not
        // hidden in a tooltip.
        StatusIcons::setPixmap(m_target->discoveryIcon(), StatusIcon::Warning);
        discoveryLabel()->setFullText(result.error.isEmpty()
                                          ? tr("No discovery: type a method name")
                                          : tr("No discovery (%1): type a method name").arg(result.error));
        discoveryLabel()->setExtraToolTip(tr("Discovery asks rpc.discover, then system.listMethods."));
    }
    emit methodsDiscovered(names);
}

void ClientPanel::onStateChanged(ClientState state, const QString& reason)
{
    m_connected = state != ClientState::Disconnected;
    if (state == ClientState::Connecting)
        m_initError.clear(); // a new connection: its handshake is yet to run
    StatusIcons::setPixmap(m_target->stateIcon(), state == ClientState::Connected ? StatusIcon::Connected
                                                                                  : StatusIcon::Disconnected);
    // The reason is the client's one line naming the step that failed; elided, whole in the tooltip.
    QString text = reason.isEmpty() ? toString(state) : QStringLiteral("%1: %2").arg(toString(state), reason);
    if (!m_initError.isEmpty()) {
        StatusIcons::setPixmap(m_target->stateIcon(), StatusIcon::Warning);
        text = tr("%1 — handshake failed: %2").arg(text, m_initError);
    }
    stateLabel()->setFullText(text);
    emit connectionStateChanged(state);
}

void ClientPanel::rerun(const HistoryEntry& entry)
{
    load(entry);
    sendCall(CallRequest{entry.method, entry.params, {}, entry.notification});
}

void ClientPanel::load(const HistoryEntry& entry)
{
    m_composer->loadCall(entry.method, entry.params, entry.notification);
}

void ClientPanel::connectIncoming()
{
    // The client answers on its own thread; the panel shows what came and posts the user's answers.
    connect(m_client, &RpcClient::incoming, m_incoming, &IncomingPanel::addIncoming);
    connect(m_client, &RpcClient::requestHeld, m_incoming, &IncomingPanel::addHeld);
    connect(m_client, &RpcClient::holdEnded, m_incoming, &IncomingPanel::endHold);
    connect(m_client, &RpcClient::answerSent, m_incoming->model(), &IncomingModel::markAnswerSent);
    connect(m_client, &RpcClient::initFinished, this, &ClientPanel::onInitFinished);
    // Called here, on the GUI thread: the client's entry points post the work to its thread.
    connect(m_incoming, &IncomingPanel::answerRequested, this,
            [this](quint64 holdId, const RpcResult& answer) { m_client->answerHeld(holdId, answer); });
    connect(m_incoming, &IncomingPanel::rejectRequested, this,
            [this](quint64 holdId) { m_client->rejectHeld(holdId); });
    connect(m_incoming, &IncomingPanel::holdingChanged, this,
            [this](bool hold) { m_client->setHoldUnanswered(hold, m_incoming->holdTimeoutMs()); });
    connect(m_incoming, &IncomingPanel::countsChanged, this, &ClientPanel::updateIncomingTab);
    m_client->setHoldUnanswered(m_incoming->holding(), m_incoming->holdTimeoutMs());
}

void ClientPanel::setClientMethods(std::shared_ptr<MethodRegistry> registry)
{
    m_incoming->model()->setAnsweredLocally([registry](const QString& method) {
        const auto found = registry ? registry->find(method) : nullptr;
        return found && found->info.enabled;
    });
}

void ClientPanel::updateIncomingTab(int messages, int held)
{
    const int tab = m_tabs->indexOf(m_incoming);
    QString title = messages > 0 ? tr("Incoming (%1)").arg(messages) : tr("Incoming");
    if (held > 0)
        title += tr(" · %1 held").arg(held);
    m_tabs->setTabText(tab, title);
    m_tabs->setTabToolTip(tab, tr("Notifications and requests the server sent the client"));
}

void ClientPanel::onProgress(quint64 callId, const CallProgress& progress)
{
    if (callId == m_lastCallId)
        m_response->showProgress(progress);
}

void ClientPanel::onInitFinished(quint64, const QString& error)
{
    m_initError = error;
    onStateChanged(m_client->state(), QString());
}

} // namespace rpcbench
