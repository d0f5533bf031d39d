#include "manifest.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace tilebragg::golden {

namespace {

// Reads just enough JSON for the manifest: objects, arrays, strings, numbers and
// literals. Scalars come back as text; a case's fields are picked out afterwards.
class JsonReader {
public:
    explicit JsonReader(const std::string& text) : text_(text) {}

    std::vector<std::map<std::string, std::string>> cases() {
        std::vector<std::map<std::string, std::string>> found;
        expect('{');
        if (peek() == '}') throw error("no \"cases\" array");
        while (true) {
            const std::string key = string_value();
            expect(':');
            if (key == "cases") {
                expect('[');
                if (peek() != ']') {
                    while (true) {
                        found.push_back(flat_object());
                        if (peek() == ']') break;
                        expect(',');
                    }
                }
                expect(']');
            } else {
                skip_value();
            }
            if (peek() == '}') break;
            expect(',');
        }
        return found;
    }

private:
    std::runtime_error error(const std::string& what) const {
        return std::runtime_error("manifest.json offset " + std::to_string(pos_) + ": " + what);
    }

    char peek() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
        if (pos_ >= text_.size()) throw error("unexpected end of text");
        return text_[pos_];
    }

    void expect(char c) {
        if (peek() != c) throw error(std::string("expected '") + c + "', found '" + text_[pos_] + "'");
        ++pos_;
    }

    std::string string_value() {
        expect('"');
        std::string out;
        while (pos_ < text_.size() && text_[pos_] != '"') {
            char c = text_[pos_++];
            if (c == '\\') {
                if (pos_ >= text_.size()) break;
                const char e = text_[pos_++];
                switch (e) {
                    case 'n':
                        c = '\n';
                        break;
                    case 't':
                        c = '\t';
                        break;
                    case 'r':
                        c = '\r';
                        break;
                    case 'b':
                        c = '\b';
                        break;
                    case 'f':
                        c = '\f';
                        break;
                    case 'u':
                        throw error("\\u escapes are not expected in the manifest");
                    default:
                        c = e;  // \" \\ \/
                }
            }
            out.push_back(c);
        }
        if (pos_ >= text_.size()) throw error("unterminated string");
        ++pos_;
        return out;
    }

    std::string scalar_text() {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' && text_[pos_] != ']' &&
               !std::isspace(static_cast<unsigned char>(text_[pos_])))
            ++pos_;
        if (pos_ == start) throw error("expected a value");
        return text_.substr(start, pos_ - start);
    }

    void skip_value() {
        const char c = peek();
        if (c == '"') {
            string_value();
        } else if (c == '{' || c == '[') {
            const char close = (c == '{') ? '}' : ']';
            ++pos_;
            if (peek() == close) {
                ++pos_;
                return;
            }
            while (true) {
                if (c == '{') {
                    string_value();
                    expect(':');
                }
                skip_value();
                if (peek() == close) {
                    ++pos_;
                    return;
                }
                expect(',');
            }
        } else {
            scalar_text();
        }
    }

    // One case: string and number fields are kept, nested values skipped.
    std::map<std::string, std::string> flat_object() {
        std::map<std::string, std::string> fields;
        expect('{');
        if (peek() == '}') {
            ++pos_;
            return fields;
        }
        while (true) {
            const std::string key = string_value();
            expect(':');
            const char c = peek();
            if (c == '"')
                fields[key] = string_value();
            else if (c == '{' || c == '[')
                skip_value();
            else
                fields[key] = scalar_text();
            if (peek() == '}') break;
            expect(',');
        }
        ++pos_;
        return fields;
    }

    const std::string& text_;
    std::size_t pos_ = 0;
};

const std::string& field(const std::map<std::string, std::string>& fields, const std::string& key, std::size_t index) {
    const auto it = fields.find(key);
    if (it == fields.end())
        throw std::runtime_error("manifest.json case #" + std::to_string(index) + " has no \"" + key + "\"");
    return it->second;
}

double number(const std::map<std::string, std::string>& fields, const std::string& key, std::size_t index) {
    const std::string& text = field(fields, key, index);
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0')
        throw std::runtime_error("manifest.json case #" + std::to_string(index) + ": \"" + key +
                                 "\" is not a number: " + text);
    return value;
}

}  // namespace

std::vector<GoldenCase> parse_manifest(const std::string& json_text) {
    std::vector<GoldenCase> cases;
    const auto objects = JsonReader(json_text).cases();
    for (std::size_t i = 0; i < objects.size(); ++i) {
        const auto& f = objects[i];
        GoldenCase c;
        c.name = field(f, "name", i);
        c.args = field(f, "args", i);
        c.fpixels = static_cast<std::size_t>(number(f, "fpixels", i));
        c.spixels = static_cast<std::size_t>(number(f, "spixels", i));
        c.corr_min = number(f, "corr_min", i);
        c.sum_rel_tol = number(f, "sum_rel_tol", i);
        c.sum = number(f, "sum", i);
        cases.push_back(c);
    }
    return cases;
}

std::vector<GoldenCase> read_manifest(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return parse_manifest(text.str());
}

std::vector<std::string> expand_args(const std::string& args, const std::string& inputs_dir) {
    std::vector<std::string> out;
    std::istringstream words(args);
    std::string word;
    static const std::string placeholder = "@inputs";
    while (words >> word) {
        for (std::size_t at = word.find(placeholder); at != std::string::npos;
             at = word.find(placeholder, at + inputs_dir.size()))
            word.replace(at, placeholder.size(), inputs_dir);
        out.push_back(word);
    }
    return out;
}

}  // namespace tilebragg::golden
