#include "proxy/ProxyPanel.h"

#include "proxy/Proxy.h"
#include "proxy/ProxyEditDialog.h"
#include "proxy/ProxyListModel.h"
#include "proxy/ProxySet.h"
#include "server/FaultDialog.h"
#include "widgets/FlowLayout.h"
#include "widgets/Palette.h"

#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QTableView>
#include <QVBoxLayout>

namespace rpcbench {

ProxyPanel::ProxyPanel(ProxySet* proxies, QWidget* parent)
    : QWidget(parent), m_proxies(proxies), m_model(new ProxyListModel(proxies, this)),
      m_view(new QTableView(this)), m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("proxyPanel"));
    m_view->setObjectName(QStringLiteral("proxiesView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle); // host and port both stay readable
    QHeaderView* header = m_view->horizontalHeader();
    header->setMinimumSectionSize(40);
    for (int column : {int(ProxyListModel::ListenColumn), int(ProxyListModel::UpstreamColumn)})
        header->setSectionResizeMode(column, QHeaderView::Stretch);
    for (int column : {int(ProxyListModel::StateColumn), int(ProxyListModel::ConnectionsColumn),
                       int(ProxyListModel::MessagesColumn)})
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_message->setObjectName(QStringLiteral("proxyMessageLabel"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Wraps in a narrow dock instead of widening it: the dock shares the left column.
    auto* buttonRow = new QWidget(this);
    auto* buttons = new FlowLayout(buttonRow);
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(button(QStringLiteral("addProxyButton"), tr("Add…"), &ProxyPanel::addProxy));
    m_edit = button(QStringLiteral("editProxyButton"), tr("Edit…"), &ProxyPanel::editProxy);
    m_remove = button(QStringLiteral("removeProxyButton"), tr("Remove"), &ProxyPanel::removeProxy);
    m_start = button(QStringLiteral("startProxyButton"), tr("Start"), nullptr);
    connect(m_start, &QPushButton::clicked, this, &ProxyPanel::startProxy);
    m_stop = button(QStringLiteral("stopProxyButton"), tr("Stop"), &ProxyPanel::stopProxy);
    m_faults = button(QStringLiteral("proxyFaultsButton"), tr("Faults…"), &ProxyPanel::pickFaultMethod);
    m_faults->setToolTip(tr("Latency, errors, drops, … injected into one proxied method"));
    for (QPushButton* b : {m_edit, m_remove, m_start, m_stop, m_faults})
        buttons->addWidget(b);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(buttonRow);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_message);
    m_message->hide();

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ProxyPanel::updateButtons);
    connect(m_proxies, &ProxySet::stateChanged, this, &ProxyPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ProxyPanel::updateButtons);
    connect(m_proxies, &ProxySet::notice, this, [this](const QString& line) { showMessage(line, true); });
    connect(m_view, &QTableView::doubleClicked, this, &ProxyPanel::editProxy);
    updateButtons();
}

QPushButton* ProxyPanel::button(const QString& name, const QString& text, void (ProxyPanel::*slot)())
{
    auto* b = new QPushButton(text, this);
    b->setObjectName(name);
    if (slot)
        connect(b, &QPushButton::clicked, this, slot);
    return b;
}

ProxyEditDialog* ProxyPanel::editDialog() const
{
    return m_editDialog;
}

QInputDialog* ProxyPanel::methodPicker() const
{
    return m_methodPicker;
}

FaultDialog* ProxyPanel::faultDialog() const
{
    return m_faultDialog;
}

QString ProxyPanel::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

int ProxyPanel::currentRow() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.constFirst().row();
}

void ProxyPanel::selectRow(int row)
{
    m_view->selectRow(row);
}

void ProxyPanel::updateButtons()
{
    const int row = currentRow();
    const bool running = row >= 0 && m_proxies->isRunning(row);
    m_edit->setEnabled(row >= 0);
    m_remove->setEnabled(row >= 0);
    m_start->setEnabled(row >= 0 && !running);
    m_stop->setEnabled(running);
    m_faults->setEnabled(row >= 0);
}

void ProxyPanel::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    Palette::setErrorText(m_message, error);
    m_message->setVisible(!text.isEmpty());
    if (!text.isEmpty())
        emit status(text);
}

void ProxyPanel::addProxy()
{
    openEditor(-1);
}

void ProxyPanel::editProxy()
{
    if (currentRow() >= 0)
        openEditor(currentRow());
}

void ProxyPanel::openEditor(int row)
{
    if (m_editDialog)
        m_editDialog->close();
    ProxyConfig config;
    if (row >= 0)
        config = m_proxies->config(row);
    m_editDialog = new ProxyEditDialog(config, this);
    m_editDialog->setAttribute(Qt::WA_DeleteOnClose);
    m_editDialog->setWindowModality(Qt::WindowModal);
    // The row is looked up again on accept: the proxy it names may have moved meanwhile.
    const Proxy* proxy = row >= 0 ? m_proxies->proxy(row) : nullptr;
    connect(m_editDialog, &QDialog::accepted, this,
            [this, dialog = m_editDialog.data(), proxy] { applyEdit(proxy, dialog->config()); });
    m_editDialog->open();
}

void ProxyPanel::applyEdit(const Proxy* proxy, ProxyConfig config)
{
    if (!proxy) {
        const int row = m_proxies->add(config);
        selectRow(row);
        showMessage(tr("Proxy %1 added; Start to run it.").arg(m_proxies->title(row)));
        return;
    }
    int row = -1;
    for (int i = 0; i < m_proxies->count(); ++i) {
        if (m_proxies->proxy(i) == proxy)
            row = i;
    }
    if (row < 0)
        return; // removed while the dialog was open
    // Faults set (Faults…) while the dialog was open stay: the dialog does not edit them.
    config.faults = m_proxies->config(row).faults;
    QString error;
    if (!m_proxies->update(row, config, &error)) {
        m_model->setError(row, error);
        showMessage(error, true);
        return;
    }
    m_model->setError(row, {}); // an old start error is about the old config
    showMessage(tr("Proxy %1 updated.").arg(m_proxies->title(row)));
}

void ProxyPanel::removeProxy()
{
    const int row = currentRow();
    if (row < 0)
        return;
    const QString title = m_proxies->title(row);
    m_proxies->remove(row);
    showMessage(tr("Proxy %1 removed.").arg(title));
}

bool ProxyPanel::startProxy()
{
    const int row = currentRow();
    if (row < 0)
        return false;
    QString error;
    if (!m_proxies->start(row, &error)) {
        m_model->setError(row, error);
        showMessage(error, true);
        return false;
    }
    const auto endpoints = m_proxies->proxy(row)->listeningEndpoints();
    showMessage(tr("Proxy listening on %1, forwarding to %2")
                    .arg(endpoints.isEmpty() ? m_proxies->listen(row) : endpoints.constFirst().toString(),
                         m_proxies->upstream(row)));
    return true;
}

void ProxyPanel::stopProxy()
{
    const int row = currentRow();
    if (row < 0)
        return;
    m_proxies->stop(row);
    showMessage(tr("Proxy %1 stopped.").arg(m_proxies->title(row)));
}

void ProxyPanel::setMethodSource(const QAbstractItemModel* model, int column)
{
    m_methodSource = model;
    m_methodColumn = column;
}

QStringList ProxyPanel::seenMethods() const
{
    QSet<QString> names;
    const int row = currentRow();
    if (row >= 0) {
        const auto faults = m_proxies->proxy(row)->faults()->all();
        for (auto it = faults.cbegin(); it != faults.cend(); ++it)
            names.insert(it.key());
    }
    if (m_methodSource) {
        for (int r = 0; r < m_methodSource->rowCount(); ++r) {
            const QString name = m_methodSource->index(r, m_methodColumn).data().toString();
            if (!name.isEmpty())
                names.insert(name);
        }
    }
    QStringList sorted(names.cbegin(), names.cend());
    sorted.sort();
    return sorted;
}

void ProxyPanel::pickFaultMethod()
{
    const int row = currentRow();
    if (row < 0)
        return;
    if (m_methodPicker)
        m_methodPicker->close();
    m_methodPicker = new QInputDialog(this);
    m_methodPicker->setObjectName(QStringLiteral("faultMethodPicker"));
    m_methodPicker->setAttribute(Qt::WA_DeleteOnClose);
    m_methodPicker->setWindowModality(Qt::WindowModal);
    m_methodPicker->setWindowTitle(tr("Faults of a proxied method"));
    m_methodPicker->setLabelText(
        tr("Method (a name the client calls through %1):").arg(m_proxies->title(row)));
    m_methodPicker->setComboBoxEditable(true);
    m_methodPicker->setComboBoxItems(seenMethods());
    const Proxy* proxy = m_proxies->proxy(row);
    connect(m_methodPicker, &QInputDialog::textValueSelected, this, [this, proxy](const QString& text) {
        const QString method = text.trimmed();
        for (int i = 0; i < m_proxies->count(); ++i) {
            if (m_proxies->proxy(i) == proxy && !method.isEmpty())
                openFaults(i, method);
        }
    });
    m_methodPicker->open();
}

FaultDialog* ProxyPanel::openFaults(int row, const QString& method)
{
    if (m_faultDialog)
        m_faultDialog->close();
    // The table outlives the dialog even if the proxy is removed meanwhile: the dialog holds it.
    std::shared_ptr<FaultTable> table = m_proxies->proxy(row)->faults();
    m_faultDialog = new FaultDialog(*table, method, this);
    connect(m_faultDialog, &QObject::destroyed, this, [table] {}); // holds it until then
    m_faultDialog->setWindowTitle(tr("Faults of %1 through %2").arg(method, m_proxies->title(row)));
    m_faultDialog->setWindowModality(Qt::WindowModal);
    m_faultDialog->open();
    return m_faultDialog;
}

void ProxyPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    m_model->setLive(true);
}

void ProxyPanel::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_model->setLive(false);
}

} // namespace rpcbench
