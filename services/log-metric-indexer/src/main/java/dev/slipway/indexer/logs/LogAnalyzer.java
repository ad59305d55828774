package dev.slipway.indexer.logs;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.util.CharTokenizer;

/**
 * Splits on everything but letters, digits and '_', then lower-cases. Unlike StandardAnalyzer it breaks
 * {@code java.lang.IllegalStateException} and {@code Foo.java:42} into their parts, so a class name or
 * a file name in a stack trace is found on its own; a dotted query becomes a phrase of those parts.
 */
public final class LogAnalyzer extends Analyzer {

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer tokenizer = CharTokenizer.fromTokenCharPredicate(c -> Character.isLetterOrDigit(c) || c == '_');
        return new TokenStreamComponents(tokenizer, new LowerCaseFilter(tokenizer));
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(in);
    }
}
