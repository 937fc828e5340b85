#include "client/ClientMethodsDialog.h"

#include "mock/MockService.h"
#include "server/MockMethodActions.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace rpcbench {

ClientMethodsDialog::ClientMethodsDialog(MockService& mocks, QWidget* parent)
    : QDialog(parent), m_mocks(mocks), m_list(new QListWidget(this)),
      m_actions(new MockMethodActions(mocks, this))
{
    setObjectName(QStringLiteral("clientMethodsDialog"));
    setWindowTitle(tr("Client methods"));
    auto* note = new QLabel(tr("Methods the client answers when the server sends it a request. A request no "
                               "method answers waits under Incoming › Held requests (or, with holding off, "
                               "gets error -32601)."),
                            this);
    note->setWordWrap(true);
    m_list->setObjectName(QStringLiteral("clientMethodsList"));
    // Faults are the server's testing tool; the client's methods are saved without them.
    if (auto* faults = m_actions->findChild<QPushButton*>(QStringLiteral("faultsButton")))
        faults->hide();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::currentTextChanged, m_actions, &MockMethodActions::setCurrent);
    connect(m_list, &QListWidget::itemActivated, m_actions, &MockMethodActions::editMethod);
    connect(&m_mocks, &MockService::methodsChanged, this, [this] { reload(m_actions->current()); });
    connect(m_actions, &MockMethodActions::methodSaved, this, [this](const QString& name) { reload(name); });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_actions);
    layout->addWidget(buttons);
    reload();
    resize(480, 360);
}

void ClientMethodsDialog::reload(const QString& select)
{
    const QSignalBlocker block(m_list); // the current method is set once, below
    m_list->clear();
    for (const UserMethod& m : m_mocks.methods()) {
        auto* item = new QListWidgetItem(m.name, m_list);
        if (!m.enabled)
            item->setToolTip(tr("disabled: answers -32601"));
        if (m.name == select)
            m_list->setCurrentItem(item);
    }
    if (!m_list->currentItem() && m_list->count() > 0)
        m_list->setCurrentRow(0);
    m_actions->setCurrent(m_list->currentItem() ? m_list->currentItem()->text() : QString());
}

} // namespace rpcbench
