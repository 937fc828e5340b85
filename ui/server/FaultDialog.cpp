#include "server/FaultDialog.h"

#include "dispatch/FaultTable.h"
#include "server/FaultEditorWidget.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace rpcbench {

FaultDialog::FaultDialog(FaultTable& faults, const QString& method, QWidget* parent)
    : QDialog(parent), m_faults(faults), m_method(method), m_editor(new FaultEditorWidget(this)),
      m_state(new QLabel(this))
{
    setObjectName(QStringLiteral("faultDialog"));
    setWindowTitle(tr("Faults of %1").arg(method));
    setAttribute(Qt::WA_DeleteOnClose);
    m_state->setObjectName(QStringLiteral("faultStateLabel"));
    m_state->setWordWrap(true);
    m_editor->setSettings(faults.find(method).value_or(FaultSettings{}));

    auto* buttons = new QDialogButtonBox(this);
    QPushButton* apply = buttons->addButton(tr("Apply"), QDialogButtonBox::ApplyRole);
    apply->setObjectName(QStringLiteral("applyFaultsButton"));
    apply->setDefault(true);
    QPushButton* remove = buttons->addButton(tr("Remove faults"), QDialogButtonBox::ResetRole);
    remove->setObjectName(QStringLiteral("removeFaultsButton"));
    QPushButton* close = buttons->addButton(QDialogButtonBox::Close);
    close->setObjectName(QStringLiteral("closeFaultsButton"));
    connect(apply, &QPushButton::clicked, this, &FaultDialog::apply);
    connect(remove, &QPushButton::clicked, this, &FaultDialog::removeFaults);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Make <b>%1</b> misbehave on purpose. Changes apply to the next call; "
                                    "the log marks faulted replies.")
                                     .arg(method.toHtmlEscaped()),
                                 this));
    layout->addWidget(m_editor);
    layout->addWidget(m_state);
    layout->addWidget(buttons);
    showState();
}

void FaultDialog::apply()
{
    const FaultSettings settings = m_editor->settings();
    if (settings == FaultSettings{} || (!settings.isActive() && settings.enabled))
        m_faults.clear(m_method); // nothing to inject: keep the table free of no-op entries
    else
        m_faults.set(m_method, settings);
    showState();
}

void FaultDialog::removeFaults()
{
    m_faults.clear(m_method);
    m_editor->setSettings(FaultSettings{});
    showState();
}

void FaultDialog::showState()
{
    const auto current = m_faults.find(m_method);
    m_state->setText(current ? tr("Now: %1").arg(current->describe()) : tr("Now: no faults"));
}

} // namespace rpcbench
