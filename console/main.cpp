// daarion-auth-console: placeholder until the console lands.
#include <QApplication>
#include <QLabel>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QLabel label(QStringLiteral("daarion-auth-console"));
    label.show();
    return app.exec();
}
