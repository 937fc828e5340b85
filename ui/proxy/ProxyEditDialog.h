#pragma once
// Add… / Edit… of the Proxies panel: where the proxy listens, the upstream it forwards to, its
// breakpoint rules (pattern, direction, enabled) and the intercept timeout. A bad URL or pattern
// is named in a line under the fields and keeps the dialog open; nothing is applied until it is
// valid. Window-modal with open(), never exec(): the owner reads config() on accepted().
#include "proxy/ProxyConfig.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace rpcbench {

class ProxyEditDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ProxyEditDialog(const ProxyConfig& config, QWidget* parent = nullptr);

    // Listen, upstream, rules and timeout as entered; faults are kept from the config given.
    ProxyConfig config() const;
    // The first problem of what is entered, empty when it can be applied.
    QString validate() const;
    QString errorText() const;

    QLineEdit* listenEdit() const { return m_listen; }
    QLineEdit* upstreamEdit() const { return m_upstream; }
    QTableWidget* rulesTable() const { return m_rules; }

    void addRule(const InterceptRule& rule);

public slots:
    void accept() override; // only when validate() finds nothing

private:
    QWidget* makeRuleButtons();

    ProxyConfig m_original;
    QLineEdit* m_listen;
    QLineEdit* m_upstream;
    QTableWidget* m_rules;
    QSpinBox* m_timeout;
    QLabel* m_error;
};

} // namespace rpcbench
