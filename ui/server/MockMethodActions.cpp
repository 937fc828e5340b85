#include "server/MockMethodActions.h"

#include "dispatch/MethodRegistry.h"
#include "mock/MockService.h"
#include "server/FaultDialog.h"
#include "server/MethodEditorDialog.h"
#include "widgets/FlowLayout.h"

#include <QPushButton>

namespace rpcbench {

MockMethodActions::MockMethodActions(MockService& mocks, QWidget* parent)
    : QWidget(parent), m_mocks(mocks),
      m_new(button(QStringLiteral("newMethodButton"), tr("New method…"),
                   tr("Define a method answered by a canned result, a canned error or a script"))),
      m_edit(button(QStringLiteral("editMethodButton"), tr("Edit…"),
                    tr("Edit the selected user-defined method"))),
      m_toggle(button(QStringLiteral("toggleMethodButton"), tr("Disable"),
                      tr("A disabled method answers \"method not found\" and leaves discovery"))),
      m_remove(button(QStringLiteral("removeMethodButton"), tr("Remove"),
                      tr("Remove the selected user-defined method"))),
      m_faultsButton(button(QStringLiteral("faultsButton"), tr("Faults…"),
                            tr("Make the selected method slow, failing or broken on purpose")))
{
    connect(m_new, &QPushButton::clicked, this, &MockMethodActions::newMethod);
    connect(m_edit, &QPushButton::clicked, this, &MockMethodActions::editMethod);
    connect(m_toggle, &QPushButton::clicked, this, &MockMethodActions::toggleEnabled);
    connect(m_remove, &QPushButton::clicked, this, &MockMethodActions::removeMethod);
    connect(m_faultsButton, &QPushButton::clicked, this, &MockMethodActions::editFaults);
    // Enabled state and faults change behind our back too (workspace loads, the dialog).
    connect(&m_mocks, &MockService::methodsChanged, this, &MockMethodActions::updateButtons);
    connect(&m_mocks.faults(), &FaultTable::changed, this, &MockMethodActions::updateButtons);

    // The buttons wrap onto a second row in a narrow dock instead of holding it wide.
    auto* layout = new FlowLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget* b : buttonsInOrder())
        layout->addWidget(b);
    updateButtons();
}

QPushButton* MockMethodActions::button(const QString& name, const QString& text, const QString& tooltip)
{
    auto* b = new QPushButton(text, this);
    b->setObjectName(name);
    b->setToolTip(tooltip);
    return b;
}

QList<QWidget*> MockMethodActions::buttonsInOrder() const
{
    return {m_new, m_edit, m_toggle, m_remove, m_faultsButton};
}

void MockMethodActions::setCurrent(const QString& name)
{
    m_current = name;
    updateButtons();
}

void MockMethodActions::updateButtons()
{
    const auto method = m_mocks.registry()->find(m_current);
    const bool isUser = m_mocks.isUserMethod(m_current);
    m_edit->setEnabled(isUser);
    m_remove->setEnabled(isUser);
    m_toggle->setEnabled(method != nullptr);
    m_toggle->setText(method && !method->info.enabled ? tr("Enable") : tr("Disable"));
    m_faultsButton->setEnabled(method != nullptr);
    const bool faulted = m_mocks.faults().activeFor(m_current).has_value();
    m_faultsButton->setText(faulted ? tr("Faults (on)…") : tr("Faults…"));
}

void MockMethodActions::openEditor(const QString& existing)
{
    if (m_editor)
        m_editor->close();
    m_editor = new MethodEditorDialog(m_mocks, existing, window());
    connect(m_editor, &MethodEditorDialog::saved, this, &MockMethodActions::methodSaved);
    m_editor->open();
}

void MockMethodActions::newMethod()
{
    openEditor({});
}

void MockMethodActions::editMethod()
{
    if (m_mocks.isUserMethod(m_current))
        openEditor(m_current);
}

void MockMethodActions::toggleEnabled()
{
    const auto method = m_mocks.registry()->find(m_current);
    if (method)
        m_mocks.setMethodEnabled(m_current, !method->info.enabled);
    updateButtons();
}

void MockMethodActions::removeMethod()
{
    if (m_mocks.removeMethod(m_current))
        setCurrent({});
}

void MockMethodActions::editFaults()
{
    if (!m_mocks.registry()->find(m_current))
        return;
    if (m_faults)
        m_faults->close();
    m_faults = new FaultDialog(m_mocks.faults(), m_current, window());
    m_faults->open();
}

} // namespace rpcbench
