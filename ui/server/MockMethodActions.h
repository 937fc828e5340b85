#pragma once
// The server panel's buttons for mocks: New method, Edit, Disable/Enable, Remove, Faults. Acts
// on the method selected in the panel through the MockService, so every change reaches the
// running server at once. Dialogs open window-modal (open()); the open ones are reachable for
// tests through methodEditor() / faultDialog().

#include "server/FaultDialog.h"
#include "server/MethodEditorDialog.h"

#include <QPointer>
#include <QWidget>

class QPushButton;

namespace rpcbench {

class MockService;

class MockMethodActions : public QWidget
{
    Q_OBJECT
public:
    explicit MockMethodActions(MockService& mocks, QWidget* parent = nullptr);

    // The method selected in the panel (empty = none); updates which buttons apply.
    void setCurrent(const QString& name);
    QString current() const { return m_current; }

    MethodEditorDialog* methodEditor() const { return m_editor; }
    FaultDialog* faultDialog() const { return m_faults; }
    // New, Edit, Disable, Remove, Faults: as laid out, left to right.
    QList<QWidget*> buttonsInOrder() const;

public slots:
    void newMethod();
    void editMethod();
    void toggleEnabled();
    void removeMethod();
    void editFaults();

signals:
    void methodSaved(const QString& name); // to select it in the panel

private:
    QPushButton* button(const QString& name, const QString& text, const QString& tooltip);
    void openEditor(const QString& existing);
    void updateButtons();

    MockService& m_mocks;
    QString m_current;
    QPointer<MethodEditorDialog> m_editor;
    QPointer<FaultDialog> m_faults;
    QPushButton* m_new;
    QPushButton* m_edit;
    QPushButton* m_toggle;
    QPushButton* m_remove;
    QPushButton* m_faultsButton;
};

} // namespace rpcbench
