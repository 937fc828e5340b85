#pragma once
// "Listen on…": the embedded server's extra endpoints (ListenEndpoints). A list of them (each
// with where it listens now), a URL field (unix:/path, tcp://host:port, https://host:port, ...),
// certificate and key pickers for TLS URLs, Add and Remove. A refused endpoint is explained in
// one line and nothing changes.

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace rpcbench {

class ListenEndpoints;

class ListenEndpointsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ListenEndpointsDialog(ListenEndpoints* endpoints, QWidget* parent = nullptr);

    QListWidget* list() const { return m_list; }
    QLineEdit* urlEdit() const { return m_url; }

public slots:
    bool addEndpoint(); // from the fields; false with the problem shown
    void removeSelected();

private:
    void refresh();
    void updateTlsFields();

    ListenEndpoints* m_endpoints;
    QListWidget* m_list;
    QLineEdit* m_url;
    QLineEdit* m_certificate;
    QLineEdit* m_key;
    QPushButton* m_add;
    QPushButton* m_remove;
    QLabel* m_problem;
};

} // namespace rpcbench
