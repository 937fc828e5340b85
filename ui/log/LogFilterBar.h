#pragma once
// The row of filter controls above the traffic log: free text, method, errors only, side and
// peer. Typing is debounced so a fast typist does not re-filter 100,000 rows per key.

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace rpcbench {

class LogFilterModel;

class LogFilterBar : public QWidget
{
    Q_OBJECT
public:
    explicit LogFilterBar(LogFilterModel* filter, QWidget* parent = nullptr);

    void focusText(); // Ctrl+L
    void setMethodNames(const QStringList& names);
    void applyNow(); // skip the debounce (tests)

    QLineEdit* textEdit() const { return m_text; }
    QWidget* lastInTabOrder() const; // what the next part of the panel follows

private:
    void apply();

    LogFilterModel* m_filter;
    QLineEdit* m_text;
    QComboBox* m_method;
    QCheckBox* m_errorsOnly;
    QComboBox* m_side;
    QLineEdit* m_peer;
    QTimer m_debounce;
};

} // namespace rpcbench
