#pragma once
// --screenshot FILE: once the window has loaded its first rows and chart,
// save it as PNG and quit (for the README, taken under Xvfb).

#include <QString>

namespace daarion::console {

class MainWindow;

// Arms the capture; the application quits with 0 after saving, 1 on failure.
void captureWhenLoaded(MainWindow &window, const QString &path);

} // namespace daarion::console
