package app

// LanguagesDir is the folder of the data folder that holds the languages
// the chat pages and the desk speak besides the shipped English and French:
// one <code>.json file each (see docs/languages.md).
const LanguagesDir = "languages"
