; Báo cáo CCHC — per-user Windows installer (NSIS 3, Unicode).
;
; Installs into %LOCALAPPDATA%\Programs\BaoCaoCCHC without administrator rights: Start-menu
; shortcut, optional desktop shortcut, double-click registration for .cchc reports under
; HKCU\Software\Classes, an entry in "Apps & features", and an uninstaller that removes the
; program but never the user's settings and data (%LOCALAPPDATA%\cchc-report, %APPDATA%\cchc-report).
;
;   makensis /DAPP_VERSION=0.1.0 /DBUNDLE_DIR=..\dist\BaoCaoCCHC /DOUT_FILE=..\dist\x.exe cchc.nsi
;
; Every define is optional: BUNDLE_DIR defaults to ..\dist\BaoCaoCCHC (PyInstaller's output with
; pyinstaller.spec), APP_VERSION to __version__ in ..\app\__init__.py (the one source of truth),
; OUT_FILE to ..\dist\BaoCaoCCHC-<version>-setup.exe.
; Relative paths are relative to this folder (makensis changes into it).
; This file is UTF-8 with a byte-order mark, so makensis reads the Vietnamese texts correctly.
;
; 64-bit (amd64) installer; needs NSIS 3.08+ (!uninstfinalize). SIGN_COMMAND, when defined, signs
; the uninstaller and then the installer: makensis runs `SIGN_COMMAND "file"` on each.
;
; Exit codes (silent roll-out: `setup.exe /S`, `uninstall.exe /S`): 0 done; 1 cancelled by the
; user; 3 Windows too old or 32-bit (needs 64-bit Windows 10 1809+, which Qt 6 requires); 4 the
; program is running (it holds the mutex below) — in silent mode no dialog is shown, the
; installer leaves every file as it was and exits 4; interactively it asks to close the program.

; amd64 stubs: Debian's nsis package has them (the official Windows build of NSIS does not).
Target amd64-unicode
ManifestDPIAware true
!ifdef FAST_COMPRESSION
  SetCompressor zlib   ; test builds only (tools/windows_smoke.sh's "older version")
!else
  SetCompressor /SOLID lzma
!endif
RequestExecutionLevel user

!ifndef APP_VERSION
  !searchparse /file "../app/__init__.py" `__version__ = "` APP_VERSION `"`
!endif
!ifndef BUNDLE_DIR
  !define BUNDLE_DIR "../dist/BaoCaoCCHC"
!endif
!ifndef APP_VERSION_WIN
  !define APP_VERSION_WIN "${APP_VERSION}.0"  ; four numbers; CI passes `version_info.py --print-win`
!endif
!ifndef OUT_FILE
  !define OUT_FILE "../dist/BaoCaoCCHC-${APP_VERSION}-setup.exe"
!endif

!define APP_NAME "Báo cáo CCHC"
!define APP_ID "cchc-report"               ; app.APP_ID: the data folders' name
!define GUI_EXE "BaoCaoCCHC.exe"
!define CLI_EXE "cchc.exe"
!define PROGID "BaoCaoCCHC.Report"
!define REPORT_EXT ".cchc"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define CLASSES "Software\Classes"
!define RUNNING_MUTEX "Local\BaoCaoCCHC-running"   ; app.runtime.RUNNING_MUTEX
!define MIN_WINDOWS_BUILD 17763                    ; Windows 10 1809
!define EXIT_UNSUPPORTED 3
!define EXIT_RUNNING 4

!ifdef SIGN_COMMAND
  ; signs uninstall.exe before it is packed into the installer, then the installer itself
  !uninstfinalize '${SIGN_COMMAND} "%1"' = 0
  !finalize '${SIGN_COMMAND} "%1"' = 0
!endif

; The bundle must be there: fail early with a clear message rather than an empty installer.
!if /FileExists "${BUNDLE_DIR}/${GUI_EXE}"
!else if /FileExists "${BUNDLE_DIR}/BaoCaoCCHC"
  ; a Linux bundle, used as a stand-in to check that this script compiles
!else
  !error "Không thấy ${BUNDLE_DIR}\${GUI_EXE}: hãy chạy PyInstaller với pyinstaller.spec trước."
!endif

Name "${APP_NAME}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\BaoCaoCCHC"
InstallDirRegKey HKCU "Software\${APP_ID}" "InstallDir"
BrandingText "${APP_NAME} ${APP_VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${APP_VERSION_WIN}"
VIAddVersionKey /LANG=1066 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1066 "FileDescription" "Cài đặt ${APP_NAME}"
VIAddVersionKey /LANG=1066 "FileVersion" "${APP_VERSION}"
VIAddVersionKey /LANG=1066 "ProductVersion" "${APP_VERSION}"
VIAddVersionKey /LANG=1066 "LegalCopyright" ""

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "x64.nsh"

!define MUI_ICON "../resources/icon.ico"
!define MUI_UNICON "../resources/icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "$(TXT_RUN_NOW)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_UNPAGE_FINISH

!insertmacro MUI_LANGUAGE "Vietnamese"
!include "vi.nsh"

;; Refuse 32-bit Windows and Windows older than 10 1809, with one sentence (exit 3). A 32-bit
;; Windows cannot even start this 64-bit installer and says so itself; the check stays for
;; 64-bit emulation layers that might.
Function RefuseUnsupportedWindows
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastBuild} ${MIN_WINDOWS_BUILD}
    MessageBox MB_OK|MB_ICONSTOP "$(TXT_NEED_WINDOWS)" /SD IDOK
    SetErrorLevel ${EXIT_UNSUPPORTED}
    Quit
  ${EndIf}
FunctionEnd

;; A running copy holds the named mutex (app.runtime.hold_running_mutex). Replacing or removing
;; files under it would leave a broken folder: ask to close it (Retry/Cancel); in silent mode
;; exit 4 at once, with nothing changed, so an unattended roll-out never waits on a dialog.
!macro DEFINE_WAIT_UNTIL_CLOSED prefix
Function ${prefix}WaitUntilClosed
  ${Do}
    System::Call 'kernel32::OpenMutexW(i 0x00100000, i 0, w "${RUNNING_MUTEX}") p .r0'
    ${If} $0 P= 0
      Return
    ${EndIf}
    System::Call 'kernel32::CloseHandle(p r0)'
    ${If} ${Silent}
      SetErrorLevel ${EXIT_RUNNING}
      Quit
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(TXT_CLOSE_PROGRAM)" IDRETRY retry
    SetErrorLevel ${EXIT_RUNNING}
    Quit
    retry:
  ${Loop}
FunctionEnd
!macroend
!insertmacro DEFINE_WAIT_UNTIL_CLOSED ""
!insertmacro DEFINE_WAIT_UNTIL_CLOSED "un."

Function .onInit
  SetShellVarContext current   ; per-user Start menu and desktop
  Call RefuseUnsupportedWindows
  Call WaitUntilClosed
FunctionEnd

Function un.onInit
  SetShellVarContext current
  Call un.WaitUntilClosed
FunctionEnd

Section "!$(SEC_PROGRAM)" SecProgram
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An older version's library folder may hold files this version no longer has.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE_DIR}/*"

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "Software\${APP_ID}" "InstallDir" "$INSTDIR"

  CreateShortCut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0 \
    SW_SHOWNORMAL "" "$(TXT_SHORTCUT_DESC)"

  ; Reports (.cchc, an extension of our own): a double-click opens the editor. Files of earlier
  ; versions (.cchc.json) end in .json, which we do not take over: our program is added to
  ; ".json → Open with", and the editor offers to save them as .cchc.
  WriteRegStr HKCU "${CLASSES}\${PROGID}" "" "$(TXT_FILETYPE)"
  WriteRegStr HKCU "${CLASSES}\${PROGID}\DefaultIcon" "" "$INSTDIR\${GUI_EXE},0"
  WriteRegStr HKCU "${CLASSES}\${PROGID}\shell\open\command" "" '"$INSTDIR\${GUI_EXE}" "%1"'
  WriteRegStr HKCU "${CLASSES}\${REPORT_EXT}" "" "${PROGID}"
  WriteRegStr HKCU "${CLASSES}\${REPORT_EXT}" "Content Type" "application/json"
  WriteRegStr HKCU "${CLASSES}\.json\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKCU "${CLASSES}\Applications\${GUI_EXE}" "FriendlyAppName" "${APP_NAME}"
  WriteRegStr HKCU "${CLASSES}\Applications\${GUI_EXE}\shell\open\command" "" '"$INSTDIR\${GUI_EXE}" "%1"'
  WriteRegStr HKCU "${CLASSES}\Applications\${GUI_EXE}\SupportedTypes" ".json" ""
  WriteRegStr HKCU "${CLASSES}\Applications\${GUI_EXE}\SupportedTypes" "${REPORT_EXT}" ""
  ; tell Explorer that associations changed (SHCNE_ASSOCCHANGED)
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ; "Apps & features" entry, per user
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${APP_VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE},0"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Section "$(SEC_DESKTOP)" SecDesktop
  CreateShortCut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0 \
    SW_SHOWNORMAL "" "$(TXT_SHORTCUT_DESC)"
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecProgram} "$(DESC_PROGRAM)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "$(DESC_DESKTOP)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; The uninstaller removes what the installer put there, by name: never "RMDir /r $INSTDIR",
; which would wipe whatever else a user chose to keep in that folder. Settings, recovery drafts
; and reports (%LOCALAPPDATA%\cchc-report, Documents) stay.
Section "Uninstall"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"   ; only if now empty

  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"

  DeleteRegKey HKCU "${CLASSES}\${PROGID}"
  ReadRegStr $0 HKCU "${CLASSES}\${REPORT_EXT}" ""
  ${If} $0 == "${PROGID}"
    DeleteRegKey HKCU "${CLASSES}\${REPORT_EXT}"
  ${EndIf}
  DeleteRegValue HKCU "${CLASSES}\.json\OpenWithProgids" "${PROGID}"
  DeleteRegKey HKCU "${CLASSES}\Applications\${GUI_EXE}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\${APP_ID}"
  DetailPrint "$(TXT_DATA_KEPT)"
SectionEnd
