#include "client/ClientPanel.h"

#include "client/CallComposer.h"
#include "client/CallHistoryModel.h"
#include "client/HistoryPanel.h"
#include "client/ParamForm.h"
#include "client/ResponseView.h"
#include "client/RpcClient.h"
#include "client/TabOrder.h"
#include "util/JsonText.h"
#include "widgets/ElidedLabel.h"
#include "widgets/StatusIcons.h"
#include "window/Settings.h"

#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
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
    : QWidget(parent), m_client(client), m_settings(settings), m_composer(new CallComposer),
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
    layout->addWidget(buildTargetBar());
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
    setTabChain(QList<QWidget*>{m_url, m_dialect, m_discover} << m_composer->focusChain()
                                                              << m_tabs->tabBar());
}

ClientPanel::~ClientPanel()
{
    // The focused field loses focus while QWidget's destructor runs, and the composer reacts
    // (commits the method, re-chains the tab order, signals us): let that happen while this
    // panel is still whole.
    if (QWidget* focus = QApplication::focusWidget(); focus && isAncestorOf(focus))
        focus->clearFocus();
}

QWidget* ClientPanel::buildTargetBar()
{
    auto* bar = new QWidget(this);
    m_url = new QLineEdit(m_settings.lastUrl(), bar);
    m_url->setObjectName(QStringLiteral("clientUrlEdit"));
    m_url->setClearButtonEnabled(true);
    m_url->setToolTip(tr("tcp://host:port, tcp+lsp://host:port or http://host:port/path.\n"
                         "Leave empty to call the embedded server."));
    // Wide enough to read a whole local address; the status row below gives way instead.
    m_url->setMinimumWidth(
        qMax(200, m_url->fontMetrics().horizontalAdvance(QStringLiteral("tcp://127.0.0.1:65535")) + 40));
    m_dialect = new QComboBox(bar);
    m_dialect->setObjectName(QStringLiteral("dialectCombo"));
    m_dialect->addItem(tr("JSON-RPC 2.0"), QStringLiteral("2.0"));
    m_dialect->addItem(tr("JSON-RPC 1.0"), QStringLiteral("1.0"));
    m_dialect->addItem(tr("classic"), QStringLiteral("classic"));
    m_dialect->setCurrentIndex(qMax(0, m_dialect->findData(m_settings.lastDialect())));
    m_discover = new QToolButton(bar);
    m_discover->setObjectName(QStringLiteral("discoverButton"));
    m_discover->setText(tr("Discover"));
    m_discover->setIcon(QIcon(QStringLiteral(":/icons/discover.svg")));
    m_discover->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_discover->setToolTip(tr("Ask the server for its methods (rpc.discover, else system.listMethods)"));
    m_stateIcon = new QLabel(bar);
    m_stateIcon->setObjectName(QStringLiteral("clientStateIcon"));
    StatusIcons::setPixmap(m_stateIcon, StatusIcon::Disconnected);
    m_state = new ElidedLabel(bar);
    m_state->setObjectName(QStringLiteral("clientStateLabel"));
    m_state->setFullText(tr("not connected"));
    m_discoveryIcon = new QLabel(bar);
    m_discoveryIcon->setObjectName(QStringLiteral("discoveryIcon"));
    StatusIcons::setPixmap(m_discoveryIcon, StatusIcon::None);
    m_discovery = new ElidedLabel(bar);
    m_discovery->setObjectName(QStringLiteral("discoveryLabel"));
    connect(m_discover, &QToolButton::clicked, this, &ClientPanel::discover);
    connect(m_url, &QLineEdit::editingFinished, this, &ClientPanel::saveTarget);
    connect(m_url, &QLineEdit::returnPressed, this, &ClientPanel::connectToServer);
    connect(m_url, &QLineEdit::textChanged, this, [this](const QString& text) {
        if (text.trimmed().isEmpty()) // back to the embedded server: its methods are known
            m_composer->setMethods(m_localMethods);
    });
    connect(m_dialect, &QComboBox::currentIndexChanged, this, &ClientPanel::saveTarget);

    // Two rows: the target itself, then what is known about it (connection state, discovery
    // outcome or the reason it failed), elided in a narrow window with the whole text as tooltip.
    auto* targetLabel = new QLabel(tr("Target"), bar);
    targetLabel->setBuddy(m_url);
    auto* target = new QHBoxLayout;
    target->addWidget(targetLabel);
    target->addWidget(m_url, 1);
    target->addWidget(m_dialect);
    target->addWidget(m_discover);
    auto* status = new QHBoxLayout;
    status->addWidget(m_stateIcon);
    status->addWidget(m_state, 1);
    status->addSpacing(8);
    status->addWidget(m_discoveryIcon);
    status->addWidget(m_discovery, 3);
    auto* layout = new QVBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(target);
    layout->addLayout(status);
    saveTarget();
    return bar;
}

void ClientPanel::setEmbeddedUrl(const QString& url)
{
    m_embeddedUrl = url;
    m_url->setPlaceholderText(url.isEmpty() ? tr("URL (the embedded server is stopped)")
                                            : tr("%1 (embedded server)").arg(url));
    saveTarget();
}

void ClientPanel::setLocalMethods(const QList<MethodInfo>& methods)
{
    m_localMethods = methods;
    if (m_url->text().trimmed().isEmpty())
        m_composer->setMethods(methods);
}

QString ClientPanel::effectiveUrl() const
{
    const QString typed = m_url->text().trimmed();
    return typed.isEmpty() ? m_embeddedUrl : typed;
}

Dialect ClientPanel::dialect() const
{
    return dialectFromString(m_dialect->currentData().toString()).value_or(Dialect::JsonRpc2);
}

void ClientPanel::saveTarget()
{
    m_settings.setLastUrl(m_url->text().trimmed());
    m_settings.setLastDialect(m_dialect->currentData().toString());
    m_composer->setTarget(effectiveUrl(), dialect());
}

bool ClientPanel::applyTarget()
{
    saveTarget();
    const QString url = effectiveUrl();
    if (url.isEmpty()) {
        m_response->showProblem(tr("No target: start the embedded server or type a URL."));
        return false;
    }
    QString error;
    if (m_client->endpoint().toString() != Endpoint::parse(url).value_or(Endpoint{}).toString() &&
        !m_client->setUrl(url, &error)) {
        m_response->showProblem(tr("Invalid URL: %1").arg(error));
        return false;
    }
    if (m_client->dialect() != dialect())
        m_client->setDialect(dialect());
    return true;
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
    StatusIcons::setPixmap(m_discoveryIcon, StatusIcon::None);
    m_discovery->setFullText(tr("discovering…"));
    m_discovery->setExtraToolTip(QString());
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
        StatusIcons::setPixmap(m_discoveryIcon, StatusIcon::None);
        m_discovery->setFullText(tr("%1 methods via %2").arg(result.methods.size()).arg(result.source));
        m_discovery->setExtraToolTip(QString());
    } else {
        // The reason is what the user needs (connection refused, no such method…): shown, not
        // hidden in a tooltip.
        StatusIcons::setPixmap(m_discoveryIcon, StatusIcon::Warning);
        m_discovery->setFullText(result.error.isEmpty()
                                     ? tr("No discovery: type a method name")
                                     : tr("No discovery (%1): type a method name").arg(result.error));
        m_discovery->setExtraToolTip(tr("Discovery asks rpc.discover, then system.listMethods."));
    }
    emit methodsDiscovered(names);
}

void ClientPanel::onStateChanged(ClientState state, const QString& reason)
{
    StatusIcons::setPixmap(m_stateIcon, state == ClientState::Connected ? StatusIcon::Connected
                                                                        : StatusIcon::Disconnected);
    m_state->setFullText(reason.isEmpty() ? toString(state)
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
