#include "client/ClientPanel.h"

#include "client/CallComposer.h"
#include "client/CallHistoryModel.h"
#include "client/HistoryPanel.h"
#include "client/ParamForm.h"
#include "client/ResponseView.h"
#include "client/RpcClient.h"
#include "client/TabOrder.h"
#include "client/TargetBar.h"
#include "util/JsonText.h"
#include "widgets/ElidedLabel.h"
#include "widgets/StatusIcons.h"
#include "window/Settings.h"

#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
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

} // namespace

ClientPanel::ClientPanel(RpcClient* client, Settings& settings, QWidget* parent)
    : QWidget(parent), m_client(client), m_settings(settings),
      m_target(new TargetBar(settings.lastUrl(), settings.lastDialect(), this)), m_composer(new CallComposer),
      m_response(new ResponseView), m_history(new CallHistoryModel(Settings::maxHistory(), this)),
      m_historyPanel(new HistoryPanel(m_history)), m_tabs(new QTabWidget),
      m_splitter(new QSplitter(Qt::Horizontal, this))
{
    m_history->load(settings.callHistory());
    connect(m_history, &CallHistoryModel::historyChanged, this,
            [this] { m_settings.setCallHistory(m_history->toJson()); });

    m_tabs->setObjectName(QStringLiteral("clientTabs"));
    m_tabs->addTab(m_response, tr("Response"));
    m_tabs->addTab(m_historyPanel, tr("History"));
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
    connect(m_composer, &CallComposer::focusChainChanged, this, &ClientPanel::updateTabOrder);
    updateTabOrder();
}

void ClientPanel::updateTabOrder()
{
    // Reading order: the target bar, the composer, then the response/history tabs. Re-applied
    // whole whenever the composer's form changes, so no stop is left behind out of order.
    setTabChain(QList<QWidget*>{urlEdit(), m_target->dialectCombo(), m_target->connectionButton(),
                                m_target->discoverButton()}
                << m_composer->focusChain() << m_tabs->tabBar());
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
    return true;
}

void ClientPanel::applyConnectionSettings()
{
    const bool reconnect = m_connected; // the old connection ends with setEndpoint
    if (applyTarget() && reconnect)
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
    StatusIcons::setPixmap(m_target->stateIcon(), state == ClientState::Connected ? StatusIcon::Connected
                                                                                  : StatusIcon::Disconnected);
    // The reason is the client's one line naming the step that failed; elided, whole in the tooltip.
    stateLabel()->setFullText(reason.isEmpty() ? toString(state)
                                               : QStringLiteral("%1: %2").arg(toString(state), reason));
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

} // namespace rpcbench
