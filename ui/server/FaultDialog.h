#pragma once
// "Faults…" for one method: edits its FaultSettings and applies them to the running server
// at once (Apply), or removes them. Window-modal with open(), never exec().

#include <QDialog>

class QLabel;
class QPushButton;

namespace rpcbench {

class FaultEditorWidget;
class FaultTable;

class FaultDialog : public QDialog
{
    Q_OBJECT
public:
    FaultDialog(FaultTable& faults, const QString& method, QWidget* parent = nullptr);

    FaultEditorWidget* editor() const { return m_editor; }
    QString method() const { return m_method; }

public slots:
    void apply();        // live: the next call of the method sees the new settings
    void removeFaults(); // the method behaves normally again

private:
    void showState();

    FaultTable& m_faults;
    QString m_method;
    FaultEditorWidget* m_editor;
    QLabel* m_state;
};

} // namespace rpcbench
